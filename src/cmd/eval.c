/* cmd/eval.c: `eduhq eval`. (placeholder: being written) */
#include <stdio.h>

#include "cmd.h"

int cmd_eval(struct ctx *c, int argc, const char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "eduhq: 'eval' is not implemented yet\n");
	return 2;
}
