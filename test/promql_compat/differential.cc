#include "promql_compat/differential.h"

#include <fstream>
#include <future>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "promql_compat/data_gen.h"
#include "util/process.h"

namespace argus::testing::promql_compat {

std::string Seconds(int64_t ms) {
  return ms % 1000 == 0 ? absl::StrCat(ms / 1000)
                        : absl::StrFormat("%d.%03d", ms / 1000, ms % 1000);
}

std::vector<Form> Forms(int64_t start_ms, int64_t duration_ms) {
  const auto instant = [](const std::string& name, int64_t ms) {
    return Form{name, "/api/v1/query", "time=" + Seconds(ms)};
  };
  return {
      instant("instant@start+45s", start_ms + 45000),
      instant("instant@mid", start_ms + 5833123),
      instant("instant@sparse-gap", start_ms + kSparseGapStartMs + 917500),
      instant("instant@end+3m", start_ms + duration_ms + 180250),
      // The last whole-minute samples are exactly one lookback delta (5m) old.
      instant("instant@end+5m", start_ms + duration_ms + 300000),
      Form{"range/60s-aligned", "/api/v1/query_range",
           absl::StrCat("start=", Seconds(start_ms - 300000),
                        "&end=", Seconds(start_ms + duration_ms + 600000), "&step=60")},
      Form{"range/37s-unaligned-post", "/api/v1/query_range",
           absl::StrCat("start=", Seconds(start_ms + 17300),
                        "&end=", Seconds(start_ms + 2 * 3600000 + 41000), "&step=37s"),
           true},
      Form{"range/single-step", "/api/v1/query_range",
           absl::StrCat("start=", Seconds(start_ms + 3600000), "&end=", Seconds(start_ms + 3600000),
                        "&step=15s")},
  };
}

Response Ask(int port, const Form& form, const std::string& query) {
  Response r;
  const std::string params =
      query.empty() ? form.params : absl::StrCat("query=", UrlEncode(query), "&", form.params);
  r.code = form.post ? HttpPost(port, form.endpoint, params, &r.body)
                     : HttpGet(port, form.endpoint + "?" + params, &r.body);
  return r;
}

std::vector<std::string> LoadCorpus() {
  std::ifstream in(std::string(PROMQL_COMPAT_DIR) + "/queries.txt");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    absl::string_view q = absl::StripAsciiWhitespace(line);
    if (!q.empty() && q[0] != '#') out.emplace_back(q);
  }
  return out;
}

Tally CompareAll(const std::vector<std::string>& corpus, const std::vector<Form>& forms,
                 const std::string& filter, int want_port, int got_port, std::ostream& out) {
  Tally tally;
  std::map<std::string, int> kinds;
  for (const std::string& query : corpus) {
    if (!filter.empty() && query.find(filter) == std::string::npos) continue;
    for (const Form& form : forms) {
      // Both servers at once: the slower (sanitized) one sets the pace.
      auto theirs = std::async(std::launch::async, [&] { return Ask(want_port, form, query); });
      const Response ours = Ask(got_port, form, query);
      const Response want = theirs.get();
      ++tally.asked;
      tally.nonempty += want.code == 200 && want.body.find("\"result\":[]") == std::string::npos;
      const Diff d =
          CompareResponses(want, ours, IsOrderedQuery(query) && form.endpoint == "/api/v1/query");
      if (d.ok()) {
        ++tally.passed;
        continue;
      }
      ++tally.failed;
      ++kinds[d.kind];
      out << "FAIL [" << d.kind << "] " << form.name << ": " << query << "\n" << d.text;
    }
  }
  std::string by_kind;
  for (const auto& [kind, n] : kinds)
    absl::StrAppend(&by_kind, by_kind.empty() ? "" : ", ", kind, ": ", n);
  out << tally.passed << " passed, " << tally.failed << " failed"
      << (by_kind.empty() ? "" : " (" + by_kind + ")") << "\n";
  return tally;
}

}  // namespace argus::testing::promql_compat
