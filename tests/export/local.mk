# tests/export: pprof, OpenMetrics and the HTML report, checked by their real consumers.
