# src/report: the self-contained HTML report (heapsnap report).
