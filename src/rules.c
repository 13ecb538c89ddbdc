/* rules.c: built-in rule defaults and rule-version access. (placeholder: being written) */
#include "rules.h"
#include "store.h"

int rules_seed(struct store *s, struct err *e)
{
	(void)s;
	(void)e;
	return 0;
}
