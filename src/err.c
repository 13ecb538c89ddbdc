/* err.c: filling and mapping struct err; no message carries an ID number (err_mask_ids). */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "banned.h"

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	err_mask_ids(e->msg);
	return code;
}

void err_prefix(struct err *e, const char *fmt, ...)
{
	char old[sizeof(e->msg)];
	size_t n;
	va_list ap;
	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	n = (size_t)vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n + 2 < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", old);
	err_mask_ids(e->msg);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The exponent's digits at s, saturating at 999 (atoi would overflow on a long run). */
static int exponent(const char *s)
{
	int v = 0;
	for (; is_digit(*s); s++)
		v = v >= 100 ? 999 : v * 10 + (*s - '0');
	return v;
}

void err_mask_ids(char *s)
{
	size_t i = 0;
	while (s[i]) {
		size_t b = i, n;
		if (!is_digit(s[i])) {
			i++;
			continue;
		}
		while (is_digit(s[i]))
			i++;
		if (s[i] == 'X' || s[i] == 'x')
			i++;
		n = i - b;
		if (n >= 15) {
			size_t keep = n >= 18 ? 4 : 3;
			memset(s + b + 6, '*', n - 6 - keep);
		} else if (n == 1 && s[i] == '.' && is_digit(s[i + 1])) {
			/* D.DDDDe+NN: as many digits as the exponent says, 15 or more */
			size_t f = i + 1, g = f, k;
			while (is_digit(s[g]))
				g++;
			if ((s[g] == 'e' || s[g] == 'E') && s[g + 1] == '+' && is_digit(s[g + 2]) &&
			    exponent(s + g + 2) >= 14)
				for (k = f + 5; k < g; k++)
					s[k] = '*';
			i = g;
		}
	}
}

void err_clear(struct err *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}

int err_exit_status(int code)
{
	if (code == 0)
		return 0;
	return code == ERR_USAGE ? 2 : 1;
}
