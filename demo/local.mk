# demo: the program the README's quick start snapshots (and tests/refs/demo.sh checks).
noinst_PROGRAMS = demo/leaky_service
demo_leaky_service_SOURCES = demo/leaky_service.cc
# It keeps glibc's malloc: no sanitizers (these replace AM_CXXFLAGS/AM_LDFLAGS).
demo_leaky_service_CXXFLAGS = -O1 -g
demo_leaky_service_LDFLAGS =
EXTRA_DIST += scripts/quickstart.sh
