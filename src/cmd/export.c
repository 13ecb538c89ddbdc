/* cmd/export.c: `eduhq export`. (placeholder: being written) */
#include <stdio.h>

#include "cmd.h"

int cmd_export(struct ctx *c, int argc, const char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "eduhq: 'export' is not implemented yet\n");
	return 2;
}
