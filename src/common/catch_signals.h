/* One handler installed for a set of signals, without SA_RESTART (a blocking call such as
   watch's sleep ends when one arrives): take's guard (take/take_signals.c) and watch's stop
   between takes (cli/cmd_watch.c) differ only in the handler, the signals and whether other
   signals wait while the handler runs. */
#ifndef HS_CATCH_SIGNALS_H
#define HS_CATCH_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>

/* Installs handler for each of the n signals in sigs. block_all: every other signal is held
   while the handler runs (a handler that ends the process must not be interrupted). */
void hs_catch_signals(const int *sigs, size_t n, void (*handler)(int), bool block_all);

#endif
