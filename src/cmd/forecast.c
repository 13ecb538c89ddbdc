/* cmd/forecast.c: `eduhq forecast`. (placeholder: being written) */
#include <stdio.h>

#include "cmd.h"

int cmd_forecast(struct ctx *c, int argc, const char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "eduhq: 'forecast' is not implemented yet\n");
	return 2;
}
