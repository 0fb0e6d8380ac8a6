/* The CLI front: one cmd_<name>() per subcommand (git's builtin/ shape). Each parses its own
   options and returns the process exit code of the CLI contract. */
#ifndef HS_CLI_H
#define HS_CLI_H

int hs_cmd_take(int argc, char **argv);
int hs_cmd_show(int argc, char **argv);
int hs_cmd_diff(int argc, char **argv);
int hs_cmd_leaks(int argc, char **argv);

/* Prints "heapsnap: CMD: MSG: try 'heapsnap CMD --help'" and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
