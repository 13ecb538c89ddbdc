/* cmd/import.c: `eduhq import`. (placeholder: being written) */
#include <stdio.h>

#include "cmd.h"

int cmd_import(struct ctx *c, int argc, const char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "eduhq: 'import' is not implemented yet\n");
	return 2;
}
