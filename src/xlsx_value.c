/* xlsx_value.c: how the XLSX reader turns cell values into text: which number formats
 * show dates, Excel serial dates as YYYY-MM-DD (1900 and 1904 systems), numbers as their
 * shortest exact decimal, integers kept as written. Pure (see xlsx_value.h). */
#include <math.h>
#include <stddef.h>

#include "buf.h"
#include "xlsx_value.h"
#include "banned.h"

/* Whether a custom number format code shows a date: a y, m or d outside quotes, brackets
 * and escapes ("m" alone only when no h or s says it is minutes). */
int xlsx_code_is_date(const char *c)
{
	int y = 0, m = 0, d = 0, hs = 0;
	for (; *c; c++) {
		switch (*c) {
		case '"':
			c++;
			while (*c && *c != '"')
				c++;
			if (!*c)
				return y || d || (m && !hs);
			break;
		case '[':
			while (*c && *c != ']')
				c++;
			if (!*c)
				return y || d || (m && !hs);
			break;
		case '\\':
		case '_':
		case '*':
			if (c[1])
				c++;
			break;
		case 'y': case 'Y': y = 1; break;
		case 'd': case 'D': d = 1; break;
		case 'm': case 'M': m = 1; break;
		case 'h': case 'H': case 's': case 'S': hs = 1; break;
		default: break;
		}
	}
	return y || d || (m && !hs);
}

int xlsx_builtin_is_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58);
}

/* Days since 1970-01-01 to civil date (H. Hinnant's algorithm). */
static void civil_from_days(long z, long *y, int *m, int *d)
{
	long era, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* An Excel serial date as YYYY-MM-DD. 1900 system: serial 1 is 1900-01-01 and serial 60
 * is Excel's fictitious 1900-02-29 (Lotus's leap-year bug), so later serials are one day
 * ahead; 1904 system: serial 0 is 1904-01-01. */
void xlsx_add_date(struct buf *b, double v, int date1904)
{
	long serial = (long)floor(v), y;
	int m, d;
	if (date1904) {
		civil_from_days(serial - 24107, &y, &m, &d); /* 1904-01-01 is day -24107 */
	} else if (serial == 60) {
		buf_adds(b, "1900-02-29");
		return;
	} else {
		/* 1899-12-31 is day -25568; from serial 61 on, Excel counts the missing day */
		civil_from_days(serial - 25568 - (serial > 60), &y, &m, &d);
	}
	{
		/* y is 1899..9999 here */
		char out[10] = { (char)('0' + y / 1000), (char)('0' + y / 100 % 10),
				 (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
				 (char)('0' + m / 10), (char)('0' + m % 10), '-',
				 (char)('0' + d / 10), (char)('0' + d % 10) };
		buf_add(b, out, sizeof(out));
	}
}

/* A number as the shortest exact decimal: integers without ".0", others with %.15g. */
void xlsx_add_number(struct buf *b, double v)
{
	if (v == 0) {
		buf_addch(b, '0');
	} else if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		buf_addf(b, "%.0f", v);
	} else {
		buf_addf(b, "%.15g", v);
	}
}

/* An integer written out in plain digits (optional '-', no leading zero): kept as written.
 * Up to 15 digits that is what xlsx_add_number() would print; longer ones (an 18-digit 身份证号
 * that a tool such as openpyxl wrote as a number) would lose their last digits in a
 * double. Excel itself writes large numbers in E notation, which xlsx_add_number() handles. */
int xlsx_plain_integer(const char *s, size_t n)
{
	size_t i = s[0] == '-';
	if (n == i || (s[i] == '0' && n - i > 1) || (i && s[1] == '0'))
		return 0;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

