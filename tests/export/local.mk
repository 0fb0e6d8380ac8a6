# tests/export: pprof, OpenMetrics and the HTML report, each read by its real consumer
# (go tool pprof, promtool, headless Chromium: .ci/packages installs them).
check_PROGRAMS += tests/export/pb_encode_test
tests_export_pb_encode_test_SOURCES = tests/export/pb_encode_test.c tests/diff/tap.h
tests_export_pb_encode_test_LDADD = $(HS_LIBS)
check_PROGRAMS += tests/export/openmetrics_file_test
tests_export_openmetrics_file_test_SOURCES = tests/export/openmetrics_file_test.c
tests_export_openmetrics_file_test_LDADD = $(HS_LIBS)
TESTS += tests/export/pb_encode_test tests/export/pprof.sh tests/export/openmetrics.sh \
	tests/export/report.sh tests/export/watch-metrics.sh
EXTRA_DIST += tests/export/lib.sh tests/export/browser.py tests/export/pprof.sh \
	tests/export/openmetrics.sh tests/export/report.sh tests/export/watch-metrics.sh
