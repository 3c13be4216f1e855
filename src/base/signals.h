// Process signals the way Prometheus handles them: SIGINT/SIGTERM start a graceful shutdown,
// SIGHUP reloads the configuration.
#pragma once

#include <functional>

namespace argus {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread; threads started afterwards inherit
// the mask, so only WaitForTermination sees them. REQUIRES: called in main before any thread
// is started.
void BlockTerminationSignals();

// Waits until SIGINT or SIGTERM arrives and returns its number. Each SIGHUP in between calls
// `on_hangup` (if set) on the waiting thread.
int WaitForTermination(const std::function<void()>& on_hangup);

}  // namespace argus
