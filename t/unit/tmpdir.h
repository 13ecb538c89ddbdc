/* t/unit/tmpdir.h: a scratch directory for the cmocka tests that write files. Define
 * TMPDIR_NAME (a prefix, e.g. "csvtest") and include this after <cmocka.h>; pass
 * setup_tmpdir/teardown_tmpdir to cmocka_run_group_tests(). The directory is made under
 * $TMPDIR (else /tmp) and removed afterwards with whatever a failed test left in it (files
 * only: tests make no subdirectories). */
#ifndef TMPDIR_H
#define TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef TMPDIR_NAME
#error "define TMPDIR_NAME before including tmpdir.h"
#endif

static char tmpdir[256];

static int setup_tmpdir(void **state)
{
	const char *t = getenv("TMPDIR");
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/" TMPDIR_NAME ".XXXXXX", t && *t ? t : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmpdir(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	(void)state;
	while (d && (de = readdir(d))) {
		char p[600];
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	return rmdir(tmpdir);
}

#endif
