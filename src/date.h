/* date.h: calendar dates as day numbers (days since 1970-01-01), for deadlines, overdue
 * hazards and the straight line of a task's progress. Pure; no time zone involved. */
#ifndef DATE_H
#define DATE_H

#include <time.h>

/* Day number of y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
long date_from_civil(int y, int m, int d);
/* "YYYY-MM-DD" into a day number: 0 and *out set, or -1 when s is not a real date. */
int date_parse(const char *s, long *out);
/* The day number as "YYYY-MM-DD" into out (11 bytes). */
void date_format(long day, char out[11]);
/* Today (UTC) as a day number. */
long date_today(void);
/* The instant t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out (21 bytes). */
void date_stamp(time_t t, char out[21]);

#endif
