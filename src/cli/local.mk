# src/cli: the command-line front, one file per subcommand.
libheapsnap_a_SOURCES += src/cli/cli_private.h \
	src/cli/cmd_take.c src/cli/cmd_show.c src/cli/cmd_diff.c src/cli/cmd_trend.c \
	src/cli/cmd_watch.c src/cli/cmd_report.c src/cli/cmd_stat.c src/cli/cmd_leaks.c \
	src/cli/cmd_why.c src/cli/pprof_holders.c
