# bench: performance measurements (make bench), not part of make check
