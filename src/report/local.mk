# src/report: the self-contained HTML report (heapsnap report): its data as JSON, the page
# around it, and the page's style and script, embedded as C strings generated at build time
# from report.css and report.js (edit those, not the generated header).
libheapsnap_a_SOURCES += \
	src/report/report.h src/report/report_data.c src/report/report_page.c
nodist_libheapsnap_a_SOURCES = src/report/report_assets.h
BUILT_SOURCES = src/report/report_assets.h
CLEANFILES += src/report/report_assets.h
EXTRA_DIST += src/report/report.css src/report/report.js src/report/embed.sh

src/report/report_assets.h: $(top_srcdir)/src/report/embed.sh $(top_srcdir)/src/report/report.css $(top_srcdir)/src/report/report.js
	$(AM_V_GEN)$(MKDIR_P) src/report && \
	$(SHELL) $(top_srcdir)/src/report/embed.sh $(top_srcdir)/src/report/report.css \
		$(top_srcdir)/src/report/report.js >$@-t && mv $@-t $@
