// The differential half of the PromQL compatibility tests: asking a reference (Prometheus) and a
// server under test the queries of the corpus (queries.txt) in the same ways, over data that
// data_gen wrote, and comparing the answers with CompareResponses (compare.h).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "promql_compat/compare.h"
#include "promql_compat/data_gen.h"

namespace argus::testing::promql_compat {

// The data the differential tests ask about: seed 5, 8 instances, 4 h from a 2 h boundary (so
// promtool's blocks start on it).
inline constexpr int64_t kCorpusStartMs = 1699999200000;
inline constexpr int64_t kCorpusDurationMs = 4 * 3600 * 1000;
inline DataSpec CorpusData() {
  return DataSpec{
      .seed = 5, .start_ms = kCorpusStartMs, .duration_ms = kCorpusDurationMs, .instances = 8};
}

// A Prometheus API time: unix seconds with the milliseconds as decimals ("1700000000",
// "1700000000.250").
std::string Seconds(int64_t ms);

// One way of asking a query: the endpoint and its parameters besides `query`.
struct Form {
  std::string name;
  std::string endpoint;
  std::string params;
  bool post = false;
};

// The forms of the differential tests, for data_gen data covering [start_ms, start_ms +
// duration_ms]: instant queries near the start, in the middle, inside the gap of the sparse
// series, just after the end and exactly one lookback delta (5m) after the last whole-minute
// samples; range queries with a 60 s step aligned to the minute over the whole data and past
// both ends, with an unaligned 37 s step from an odd start (sent as a form POST), and a single
// step.
std::vector<Form> Forms(int64_t start_ms, int64_t duration_ms);

// Asks `query` in `form` of the server on 127.0.0.1:`port` (an empty query: form.params alone).
Response Ask(int port, const Form& form, const std::string& query);

// The queries of queries.txt: one per line; blank lines and lines starting with '#' skipped.
std::vector<std::string> LoadCorpus();

// What CompareAll saw. `nonempty`: reference answers with HTTP 200 and a non-empty result.
struct Tally {
  int passed = 0;
  int failed = 0;
  int asked = 0;
  int nonempty = 0;
};

// Asks every query of `corpus` containing `filter` (every query when empty) in every form of
// `forms`, of the reference on `want_port` and of the server under test on `got_port` at once,
// and compares the answers (the order of an instant vector only where PromQL defines it).
// Prints "FAIL [kind] form: query" and the diff for every difference, then
// "N passed, M failed (kind: n, ...)", to `out`.
Tally CompareAll(const std::vector<std::string>& corpus, const std::vector<Form>& forms,
                 const std::string& filter, int want_port, int got_port, std::ostream& out);

}  // namespace argus::testing::promql_compat
