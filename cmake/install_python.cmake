# Run by `cmake --install` (CMakeLists.txt sets GRL_SOURCE_DIR,
# GRL_PYTHON_VERSION, GRL_PYTHON_DIR, GRL_LIBRARY_FILE, GRL_VERSION): copy
# python/grl into the dist-packages Debian's python3 searches for the
# install prefix (/usr/lib/python3/dist-packages for /usr, as Debian's own
# packages; <prefix>/lib/python3.X/dist-packages otherwise, as pip on
# Debian installs into /usr/local), or GRL_PYTHON_DIR under the prefix, and
# write _libpath.py there: the installed library's path and version, which
# the shim loads first and checks. DESTDIR stages the files, the paths
# written are the final ones.
if(GRL_PYTHON_DIR)
  set(dir "${GRL_PYTHON_DIR}")
elseif(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(dir "lib/python3/dist-packages")
else()
  set(dir "lib/python${GRL_PYTHON_VERSION}/dist-packages")
endif()
if(NOT IS_ABSOLUTE "${dir}")
  set(dir "${CMAKE_INSTALL_PREFIX}/${dir}")
endif()
set(library "${GRL_LIBRARY_FILE}")
if(NOT IS_ABSOLUTE "${library}")
  set(library "${CMAKE_INSTALL_PREFIX}/${library}")
endif()

file(INSTALL DESTINATION "${dir}" TYPE DIRECTORY FILES "${GRL_SOURCE_DIR}/python/grl"
     FILES_MATCHING PATTERN "*.py" PATTERN "_libpath.py" EXCLUDE)
set(libpath "${dir}/grl/_libpath.py")
message(STATUS "Installing: $ENV{DESTDIR}${libpath}")
file(WRITE "$ENV{DESTDIR}${libpath}"
     "# written by make install: the library this package was installed with\n"
     "LIBRARY = '${library}'\nVERSION = '${GRL_VERSION}'\n")
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "$ENV{DESTDIR}${libpath}")
