/* testutil.c — helpers shared by the cmocka tests. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *data_path(const char *relative)
{
    static char buf[4][1024];
    static int slot = 0;
    char *p = buf[slot++ % 4];
    snprintf(p, 1024, "%s/%s", GRL_DATA_DIR, relative);
    return p;
}

const char *temp_file(const char *suffix, const char *text)
{
    static char buf[8][256];
    static int slot = 0;
    char *p = buf[slot++ % 8];
    snprintf(p, 256, "/tmp/grl_test_XXXXXX%s", suffix);
    int fd = mkstemps(p, (int)strlen(suffix));
    if (fd < 0) fail_msg("mkstemps failed");
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len) fail_msg("write failed");
    close(fd);
    return p;
}

void assert_double_near_impl(double a, double b, double tol, const char *expr,
                             const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.17g, expected %.17g (tol %g)\n", expr, a, b, tol);
        _fail(file, line);
    }
}
