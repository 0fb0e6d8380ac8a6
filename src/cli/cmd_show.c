/* heapsnap show: placeholder until the diff engine lands (issue 6). */
#include "cli/cli.h"

int cmd_show(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("show", "not built yet");
}
