/* heapsnap diff: placeholder until the diff engine lands (issue 6). */
#include "cli/cli.h"

int cmd_diff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("diff", "not built yet");
}
