/* test_abi.c — grl_version and the layout/constant queries bindings use. */
#include "testutil.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static void test_version_is_cmakes(void **state)
{
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", GRL_VERSION_MAJOR,
             GRL_VERSION_MINOR, GRL_VERSION_PATCH);
    assert_string_equal(grl_version(), want);
    assert_string_equal(grl_version(), GRL_VERSION_STRING);
}

static void test_layouts_match_the_compiler(void **state)
{
    char msg[GRL_MSG_LEN];
    int64_t off = -1, size = -1;
    assert_int_equal(grl_abi_layout("grl_ppr_options", NULL, &off, &size, msg), 0);
    assert_int_equal(size, (int64_t)sizeof(grl_ppr_options));
    assert_int_equal(off, 0);
    assert_int_equal(grl_abi_layout("grl_ppr_options", "seed", &off, &size, msg), 0);
    assert_int_equal(off, (int64_t)offsetof(grl_ppr_options, seed));
    assert_int_equal(size, 8);
    assert_int_equal(grl_abi_layout("grl_fastrp_options", "weights", &off, &size, msg), 0);
    assert_int_equal(size, 8 * GRL_FASTRP_MAX_ITERATIONS);
    assert_int_equal(grl_abi_layout("grl_nodeclf_options", "logreg", &off, &size, msg), 0);
    assert_int_equal(size, (int64_t)sizeof(grl_logreg_options));

    assert_int_equal(grl_abi_layout("grl_ppr_options", "nonesuch", &off, &size, msg),
                     GRL_NOT_FOUND);
    assert_string_equal(msg, "this grl has no grl_ppr_options.nonesuch");
    assert_int_equal(grl_abi_layout("grl_nonesuch", NULL, &off, &size, msg),
                     GRL_NOT_FOUND);
    assert_string_equal(msg, "this grl has no grl_nonesuch");
    assert_int_equal(grl_abi_layout(NULL, NULL, &off, &size, msg), GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_abi_layout("grl_dense", "rows", NULL, &size, msg),
                     GRL_INVALID_ARGUMENT);
}

static void test_constants(void **state)
{
    char msg[GRL_MSG_LEN] = "stale";
    int64_t v = 0;
    assert_int_equal(grl_abi_constant("GRL_MSG_LEN", &v, msg), 0);
    assert_int_equal(v, GRL_MSG_LEN);
    assert_string_equal(msg, "");
    assert_int_equal(grl_abi_constant("GRL_NOT_FOUND", &v, msg), 0);
    assert_int_equal(v, -1004);
    assert_int_equal(grl_abi_constant("GRL_MAX_NODES", &v, msg), 0);
    assert_int_equal(v, (int64_t)1 << 60);
    assert_int_equal(grl_abi_constant("GRL_NONESUCH", &v, msg), GRL_NOT_FOUND);
    assert_string_equal(msg, "this grl has no constant GRL_NONESUCH");
    assert_int_equal(grl_abi_constant("GRL_MSG_LEN", NULL, msg), GRL_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_is_cmakes),
        cmocka_unit_test(test_layouts_match_the_compiler),
        cmocka_unit_test(test_constants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
