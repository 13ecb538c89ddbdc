/* err.h: the error a library call reports to its caller.
 *
 * Library code never prints: it fills a caller-owned struct err and returns a negative code.
 * Only main() and cmd_*() print (err->msg) and choose the exit status. */
#ifndef ERR_H
#define ERR_H

enum err_code {
	ERR_OK = 0,
	ERR_USAGE = -1,   /* misuse: exit 2 */
	ERR_DATA = -2,    /* bad input data or failed check: exit 1 */
	ERR_IO = -3,      /* file or system error: exit 1 */
	ERR_DB = -4,      /* database error: exit 1 */
	ERR_NOTFOUND = -5,
	ERR_PERM = -6,    /* not allowed for this caller */
	ERR_CONFLICT = -7,
};

struct err {
	int code;
	char msg[1024];
};

#define ERR_INIT { 0, "" }

/* Set code and message (printf-style); returns code so callers can `return err_set(...)`. */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prefix the existing message with "PREFIX: ". */
void err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);
/* Mask, in place, everything in s that looks like a personal ID number (身份证号): a run of
 * 15 or more digits (an X may end it) keeps its first 6 and last 4 characters (last 3
 * when shorter than 18), the rest become '*'; a number in E notation of 15 or more digits
 * ("4.41002198001e+17", a code a spreadsheet kept as a number) keeps 6 significant digits.
 * err_set() and err_prefix() apply it to every message, so that no message quotes an ID
 * number, whatever column or file it came from. */
void err_mask_ids(char *s);
/* Exit status for a code: 0, 1 or 2. */
int err_exit_status(int code);

#endif
