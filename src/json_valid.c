/* json_valid.c: a JSON text checked by recursive descent over the RFC 8259 grammar, nothing
 * built or allocated. */
#include <string.h>

#include "json_valid.h"
#include "banned.h"

struct scan {
	const char *p;
	int depth;
};

static int value(struct scan *s);

static void space(struct scan *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
		s->p++;
}

static int hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* At the opening quote; a control character (the text's NUL among them) ends it badly. */
static int string(struct scan *s)
{
	for (s->p++;;) {
		unsigned char c = (unsigned char)*s->p++;
		if (c == '"')
			return 1;
		if (c < 0x20)
			return 0;
		if (c != '\\')
			continue;
		c = (unsigned char)*s->p++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++)
				if (!hex(*s->p++))
					return 0;
		} else if (!c || !strchr("\"\\/bfnrt", c)) {
			return 0;
		}
	}
}

static int digits(struct scan *s)
{
	const char *from = s->p;
	while (*s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > from;
}

static int number(struct scan *s)
{
	if (*s->p == '-')
		s->p++;
	if (*s->p == '0')
		s->p++;
	else if (!digits(s))
		return 0;
	if (*s->p == '.' && (s->p++, !digits(s)))
		return 0;
	if (*s->p == 'e' || *s->p == 'E') {
		s->p++;
		if (*s->p == '+' || *s->p == '-')
			s->p++;
		if (!digits(s))
			return 0;
	}
	return 1;
}

static int literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(s->p, word, n))
		return 0;
	s->p += n;
	return 1;
}

/* An object (keyed) or an array, at its opening bracket. */
static int members(struct scan *s, char close, int keyed)
{
	if (++s->depth > JSON_VALID_MAX_DEPTH)
		return 0;
	s->p++;
	space(s);
	if (*s->p == close)
		goto done;
	for (;;) {
		if (keyed) {
			if (*s->p != '"' || !string(s))
				return 0;
			space(s);
			if (*s->p != ':')
				return 0;
			s->p++;
			space(s);
		}
		if (!value(s))
			return 0;
		space(s);
		if (*s->p == close)
			goto done;
		if (*s->p != ',')
			return 0;
		s->p++;
		space(s);
	}
done:
	s->p++;
	s->depth--;
	return 1;
}

static int value(struct scan *s)
{
	switch (*s->p) {
	case '{': return members(s, '}', 1);
	case '[': return members(s, ']', 0);
	case '"': return string(s);
	case 't': return literal(s, "true");
	case 'f': return literal(s, "false");
	case 'n': return literal(s, "null");
	default: return number(s);
	}
}

int json_valid(const char *text)
{
	struct scan s = { text, 0 };
	if (!text)
		return 0;
	space(&s);
	if (!value(&s))
		return 0;
	space(&s);
	return *s.p == '\0';
}
