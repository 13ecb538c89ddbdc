/* json_valid.h: whether a text is one JSON value (RFC 8259), checked without building it, so
 * that JSON the store holds can be sent on as it is when it is whole (the audit log's rows
 * before and after) and as a string when it is not. */
#ifndef JSON_VALID_H
#define JSON_VALID_H

/* Containers nested deeper than this are refused (the check recurses). */
#define JSON_VALID_MAX_DEPTH 64

/* 1 when text is one JSON value with nothing but white space around it, else 0. Strings may
 * hold any byte from 0x20 up (as buf_add_json_str writes them); NULL is not JSON. */
int json_valid(const char *text);

#endif
