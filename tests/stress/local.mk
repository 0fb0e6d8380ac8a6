# tests/stress: safety under load and under signals (short runs here; make stress runs long).
TESTS += tests/stress/load.sh tests/stress/kill.sh tests/stress/target-exit.sh tests/stress/fork-exec.sh
EXTRA_DIST += tests/stress/load.sh tests/stress/kill.sh tests/stress/target-exit.sh tests/stress/valgrind.sh \
	tests/stress/fork-exec.sh
check_PROGRAMS += tests/stress/exec_loop
tests_stress_exec_loop_SOURCES = tests/stress/exec_loop.c
tests_stress_exec_loop_CFLAGS = -O1
if !HS_SANITIZE
TESTS += tests/stress/valgrind.sh
endif

# The long versions of the safety tests: 1000 takes under load, 100 kills.
stress: heapsnap $(check_PROGRAMS) $(check_DATA)
	HEAPSNAP_STRESS_TAKES=1000 HEAPSNAP_STRESS_KILLS=100 $(MAKE) $(AM_MAKEFLAGS) check \
		TESTS='tests/stress/load.sh tests/stress/kill.sh tests/stress/target-exit.sh'
.PHONY: stress
