/* enum_names.c — the one way an enum value is named and parsed: every enum a
 * user can name (CLI option, Python argument) has a table of names in its
 * module, and grl_<enum>_parse / grl_<enum>_name are made from it by
 * GRL_ENUM_FUNCTIONS, so no front end keeps a copy of the names. */
#include "grl_internal.h"

#include <string.h>
#include <strings.h>

int grl_enum_parse(const grl_enum_name *table, size_t count, const char *what,
                   const char *name, int *value, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(name != NULL && value != NULL, "parsing a %s: NULL argument",
                what);
    for (size_t i = 0; i < count; i++)
        if (strcasecmp(name, table[i].name) == 0) {
            *value = table[i].value;
            return 0;
        }
    char expected[160] = "";
    size_t used = 0;
    for (size_t i = 0; i < count && used < sizeof expected; i++)
        used += (size_t)snprintf(expected + used, sizeof expected - used,
                                 "%s%s", i == 0 ? "" : i + 1 == count ? " or "
                                 : ", ", table[i].name);
    GRL_FAIL(GRL_INVALID_ARGUMENT, "unknown %s '%.60s' (expected %s)", what,
             name, expected);
#undef FREE_ALL
}

const char *grl_enum_name_of(const grl_enum_name *table, size_t count,
                             int value)
{
    for (size_t i = 0; i < count; i++)
        if (table[i].value == value) return table[i].name;
    return NULL;
}
