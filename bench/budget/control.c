/* Callgrind's client requests, for bench/budget/measure.py through ctypes: counting
   starts and stops exactly around the requests measured, and the rest of the process
   (Django's start, the warm requests) runs uninstrumented, several times faster.
   Outside valgrind each request is a few no-op instructions. */
#include <valgrind/callgrind.h>

void budget_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void budget_stop(const char *page) {
    CALLGRIND_STOP_INSTRUMENTATION;
    CALLGRIND_DUMP_STATS_AT(page);
}
