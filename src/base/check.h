// ARGUS_CHECK guards our own invariants only (never input: input errors are Status values).
// A failed check prints the condition, the place and the reason, then aborts.
#pragma once

#include <cstdio>
#include <cstdlib>

#define ARGUS_CHECK(cond, why)                                                                \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, why); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)
