/* version.c — grl_version: the version CMake's project() gave the build. */
#include "grl/core.h"

const char *grl_version(void) { return GRL_VERSION_STRING; }
