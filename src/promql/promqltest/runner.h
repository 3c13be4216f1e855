// Runs PromQL test scripts (script.h) as Prometheus v2.42's promql/test.go does: loads series
// into a real TSDB in a temporary directory (a fresh one for every `clear`), evaluates every
// eval with a promql::Engine configured as test.go's (5m lookback, 10000 max samples, 100s
// timeout, 1m default subquery step) as an instant query, and again as a range query from
// t-1m to t+1m step 1m whose point at t must equal the expectation too (not for eval_ordered,
// whose order a range result cannot show; a scalar query compares the first series' point).
// Like test.go, each eval is then repeated with `@ t` set on its selectors at other
// evaluation times (at_variants.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "promql/promqltest/script.h"

namespace argus::promql::promqltest {

// The outcome of one eval command.
struct EvalResult {
  std::string file;
  int line = 0;  // 1-based line of the eval
  std::string query;
  int64_t at_ms = 0;
  bool instant_ok = false;      // the instant query failed or matched as expected
  bool range_ok = false;        // the range query's point at t matched (vacuous for eval_fail)
  bool at_variants_ok = false;  // every @ variant passed both checks (vacuous when none)
  std::string message;          // why not, one paragraph per failed check; "" when passed

  bool passed() const { return instant_ok && range_ok && at_variants_ok; }
};

// Runs the commands in order; `file` only labels the results. Errors: those of creating,
// loading or closing the TSDB (a load the TSDB rejects ends the run, as in test.go).
absl::StatusOr<std::vector<EvalResult>> RunScript(absl::string_view file,
                                                  const std::vector<Command>& cmds);

// Reads, parses and runs the script at `path`, labelled with its base name. Errors: reading,
// ParseScript's, RunScript's.
absl::StatusOr<std::vector<EvalResult>> RunScriptFile(const std::string& path);

}  // namespace argus::promql::promqltest
