// libFuzzer target for the PromQL parser. Any input must parse or fail with an
// InvalidArgument "<line>:<col>: parse error: ..." (or "invalid position: ..."), never crash;
// a parsed tree must print to text that parses to an equal tree printing the same, and its
// prettified form must parse to an equal tree too. Seeds: `-write_seeds=DIR`.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "fuzz/fuzz_util.h"
#include "promql/parser/ast_dump_test_util.h"
#include "promql/parser/parser.h"

namespace argus::promql::parser {
namespace {

using fuzz::Require;

void CheckError(const absl::Status& s) {
  Require(absl::IsInvalidArgument(s), "parse errors are InvalidArgument");
  Require(absl::StrContains(s.message(), "parse error: "), "parse errors say so");
}

void Check(absl::string_view query) {
  absl::StatusOr<ExprPtr> e = ParseExpr(query);
  if (!e.ok()) return CheckError(e.status());
  const std::string printed = Print(**e);
  absl::StatusOr<ExprPtr> again = ParseExpr(printed);
  Require(again.ok(), "the printed form parses");
  Require(Print(**again) == printed, "the printed form prints the same");
  const std::string dump = DumpAst(**e);
  Require(DumpAst(**again) == dump, "the printed form parses to an equal tree");
  absl::StatusOr<ExprPtr> pretty = ParseExpr(Prettify(**e));
  Require(pretty.ok(), "the prettified form parses");
  Require(DumpAst(**pretty) == dump, "the prettified form parses to an equal tree");

  absl::StatusOr<std::vector<labels::Matcher>> sel = ParseMetricSelector(query);
  if (!sel.ok()) CheckError(sel.status());
}

absl::Status WriteSeeds(const std::string& dir) {
  const char* seeds[] = {
      "sum by (job) (rate(http_requests_total{code=~\"5..\", job!=\"x\"}[5m] offset -1h))",
      "a + on (b) group_left (c) d > bool ignoring (e) group_right f or g unless h and i",
      "topk(3, x) / count_values without (a) (\"v\", y) ^ -2 ^ 3 % 4 atan2 5",
      "foo[1h:5m] @ start() offset 1m",
      "max_over_time(rate(foo[5m])[30m:1m] @ 1609746000)",
      "histogram_quantile(0.9, sum(rate(b[5m])) by (le)) # comment",
      "label_join(up, \"d\", \",\", 'a', `b`) - -0x1F * .5e3 + Inf - nan",
      "{__name__=~\"a|b\", c=\"\\u00e9\\n\"} @ end()",
      "-(-foo) == 1 < bool 2",
      "quantile(0.5, foo) without () + time() + vector(1)",
      "offset{by=\"x\"} offset 5m + sum + start - end",
      "foo\n  + bar\n# trailing comment",
  };
  int i = 0;
  for (const char* s : seeds) RETURN_IF_ERROR(fuzz::WriteSeed(dir, absl::StrCat("seed", i++), s));
  return absl::OkStatus();
}

}  // namespace
}  // namespace argus::promql::parser

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  argus::fuzz::MaybeWriteSeeds(*argc, *argv, argus::promql::parser::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  argus::promql::parser::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
