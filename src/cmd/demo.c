/* cmd/demo.c: `eduhq demo`. (placeholder: being written) */
#include <stdio.h>

#include "cmd.h"

int cmd_demo(struct ctx *c, int argc, const char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "eduhq: 'demo' is not implemented yet\n");
	return 2;
}
