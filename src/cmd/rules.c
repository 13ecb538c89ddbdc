/* cmd/rules.c: `eduhq rules`. (placeholder: being written) */
#include <stdio.h>

#include "cmd.h"

int cmd_rules(struct ctx *c, int argc, const char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "eduhq: 'rules' is not implemented yet\n");
	return 2;
}
