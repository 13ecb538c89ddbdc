/* cmd/indicators.c: `eduhq indicators`. (placeholder: being written) */
#include <stdio.h>

#include "cmd.h"

int cmd_indicators(struct ctx *c, int argc, const char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "eduhq: 'indicators' is not implemented yet\n");
	return 2;
}
