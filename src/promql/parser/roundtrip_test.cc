// Every expression of the PromQL conformance scripts (../shared/conformance/promql-v2.42 next
// to the repository) must print, re-parse to an equal tree and print the same again; so must
// its prettified form.
#include <dirent.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "promql/parser/ast_dump_test_util.h"
#include "promql/parser/parser.h"

namespace argus::promql::parser {
namespace {

// The expression of an `eval[_ordered|_fail] instant at <duration> <expr>` line, or "".
std::string EvalExpr(absl::string_view line) {
  for (absl::string_view cmd : {"eval ", "eval_ordered ", "eval_fail "}) {
    if (!absl::ConsumePrefix(&line, cmd)) continue;
    line = absl::StripLeadingAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, "instant at ")) return "";
    line = absl::StripLeadingAsciiWhitespace(line);
    const size_t sp = line.find(' ');
    if (sp == absl::string_view::npos) return "";
    return std::string(absl::StripAsciiWhitespace(line.substr(sp + 1)));
  }
  return "";
}

std::vector<std::string> ConformanceExprs(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* ent = readdir(d)) {
    const std::string name = ent->d_name;
    if (!absl::EndsWith(name, ".test")) continue;
    std::ifstream in(dir + "/" + name);
    std::string line;
    while (std::getline(in, line)) {
      if (std::string e = EvalExpr(line); !e.empty()) out.push_back(e);
    }
  }
  closedir(d);
  return out;
}

TEST(RoundTripTest, ConformanceExpressions) {
  const std::string dir = std::string(ARGUS_REPO_ROOT) + "/../shared/conformance/promql-v2.42";
  const std::vector<std::string> exprs = ConformanceExprs(dir);
  if (exprs.empty()) {
    GTEST_SKIP() << "NOT RUN: ../shared/conformance/promql-v2.42 absent (looked in " << dir << ")";
  }
  int parsed = 0;
  for (const std::string& q : exprs) {
    absl::StatusOr<ExprPtr> e = ParseExpr(q);
    if (!e.ok()) continue;
    ++parsed;
    const std::string printed = Print(**e);
    absl::StatusOr<ExprPtr> again = ParseExpr(printed);
    ASSERT_TRUE(again.ok()) << q << " printed as " << printed << ": " << again.status();
    EXPECT_EQ(Print(**again), printed) << q;
    EXPECT_EQ(DumpAst(**again), DumpAst(**e)) << q << " printed as " << printed;
    const std::string pretty = Prettify(**e);
    absl::StatusOr<ExprPtr> from_pretty = ParseExpr(pretty);
    ASSERT_TRUE(from_pretty.ok()) << q << " prettified as " << pretty << ": "
                                  << from_pretty.status();
    EXPECT_EQ(DumpAst(**from_pretty), DumpAst(**e)) << q << " prettified as " << pretty;
  }
  // All but the handful of eval_fail queries that fail at parse time must parse.
  EXPECT_GT(parsed, static_cast<int>(exprs.size()) - 10);
}

}  // namespace
// A selector without a metric name keeps a __name__="" matcher when printed (a fuzzer find:
// it was taken for the implied matcher of the empty name).
TEST(RoundTripTest, EmptyNameMatcherWithoutMetricNameIsKept) {
  absl::StatusOr<ExprPtr> e = ParseExpr(R"({__name__=~"a|b", __name__=""})");
  ASSERT_TRUE(e.ok()) << e.status();
  const std::string printed = Print(**e);
  absl::StatusOr<ExprPtr> again = ParseExpr(printed);
  ASSERT_TRUE(again.ok()) << printed;
  EXPECT_EQ(DumpAst(**again), DumpAst(**e)) << printed;
}

}  // namespace argus::promql::parser
