/* The report's HTML page (see report.h): a strict Content-Security-Policy that lets the page
   load nothing, the style, the data as JSON and the script that draws it. */
#include <stdlib.h>

#include "common/xalloc.h"
#include "report/report.h"
#include "src/report/report_assets.h"

/* The JSON text with <, > and & as \u escapes: they only occur inside JSON strings, where
   the escapes mean the same, and without them no type name can end the script element. */
static void json_for_script(const json_t *data, FILE *out)
{
	char *text = json_dumps(data, JSON_COMPACT);

	if (text == NULL)
		hs_xalloc_fail(0); /* jansson fails only out of memory here */
	for (const char *p = text; *p; p++) {
		if (*p == '<')
			fputs("\\u003c", out);
		else if (*p == '>')
			fputs("\\u003e", out);
		else if (*p == '&')
			fputs("\\u0026", out);
		else
			fputc(*p, out);
	}
	free(text);
}

void hs_report_page(const json_t *data, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
	      "<title>heapsnap report</title>\n<style>\n", out);
	fputs(hs_report_css, out);
	fputs("</style>\n</head>\n<body>\n<main id=\"report\"></main>\n"
	      "<noscript>This report draws itself with JavaScript: allow scripts for this file.</noscript>\n"
	      "<script type=\"application/json\" id=\"heapsnap-data\">", out);
	json_for_script(data, out);
	fputs("</script>\n<script>\n", out);
	fputs(hs_report_js, out);
	fputs("</script>\n</body>\n</html>\n", out);
}
