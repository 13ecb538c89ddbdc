/* cmd/check.c: `eduhq check`. (placeholder: being written) */
#include <stdio.h>

#include "cmd.h"

int cmd_check(struct ctx *c, int argc, const char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "eduhq: 'check' is not implemented yet\n");
	return 2;
}
