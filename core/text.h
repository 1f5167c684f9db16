/*
 * text.h — the pieces every text reader of grl shares: splitting a line into
 * fields, reading a whole decimal int64, and the FNV-1a hash of a string.
 * Edge lists, labels, features, node lists (the CLI's) and the loaders'
 * hash tables all use these, so a field or an integer means the same thing
 * in every file grl reads.
 */
#ifndef GRL_TEXT_H
#define GRL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Blanks separate fields: space, tab, CR, VT, FF; with `comma`, also ','.
 * A line's end ('\n') is the caller's `end`. */
static inline bool grl_is_blank(char c, bool comma)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' ||
           (comma && c == ',');
}

/* The next field of [*p, end): *field points at it and its length is
 * returned, *p moves past it; 0 (and *p = end) when only blanks are left. */
static inline size_t grl_next_field(const char **p, const char *end,
                                    bool comma, const char **field)
{
    const char *q = *p;
    while (q < end && grl_is_blank(*q, comma)) q++;
    *field = q;
    while (q < end && !grl_is_blank(*q, comma)) q++;
    *p = q;
    return (size_t)(q - *field);
}

/* A decimal int64 at the start of [s, end): optional sign, then digits.
 * Returns the characters read, 0 if there are no digits or the value does
 * not fit; the caller decides what may follow. */
static inline size_t grl_parse_i64(const char *s, const char *end,
                                   int64_t *value)
{
    const char *p = s;
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) negative = (*p++ == '-');
    const char *digits = p;
    uint64_t x = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        unsigned d = (unsigned)(*p - '0');
        if (x > (UINT64_MAX - d) / 10) return 0;
        x = x * 10 + d;
        p++;
    }
    if (p == digits || x > (uint64_t)INT64_MAX + (negative ? 1 : 0)) return 0;
    *value = negative ? (int64_t)(0 - x) : (int64_t)x;
    return (size_t)(p - s);
}

/* Whether [s, s + len) is exactly one decimal int64. */
static inline bool grl_parse_i64_whole(const char *s, size_t len,
                                       int64_t *value)
{
    return len > 0 && grl_parse_i64(s, s + len, value) == len;
}

/* FNV-1a, 64-bit, of len bytes (Fowler, Noll, Vo): the hash of string ids. */
static inline uint64_t grl_fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    return h;
}

#endif
