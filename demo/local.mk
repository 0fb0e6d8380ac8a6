# demo: the program the README's quick start snapshots twice.
noinst_PROGRAMS = demo/leaky_service
demo_leaky_service_SOURCES = demo/leaky_service.cc
demo_leaky_service_CXXFLAGS = -O1 -g
EXTRA_DIST += scripts/quickstart.sh
