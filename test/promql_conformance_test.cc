// The acceptance run of issue #5: every PromQL test script of Prometheus v2.42
// (../shared/conformance/promql-v2.42, read unmodified) through the promqltest runner, each
// eval as an instant query and again as a range query, as Prometheus's own promql/test.go.
// One test per script lists its failures; PromqlConformanceTest.AllFiles prints the totals,
// requires all 566 evals to be found and to pass, and fails loudly when the scripts are absent.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/env.h"
#include "base/logging.h"
#include "gtest/gtest.h"
#include "promql/promqltest/runner.h"

namespace argus::promql::promqltest {
namespace {

constexpr char kRelativeDir[] = "../shared/conformance/promql-v2.42";
constexpr int kExpectedEvals = 566;  // the eval statements of the 11 scripts (NOTICE)

std::string ConformanceDir() { return absl::StrCat(ARGUS_SOURCE_DIR, "/", kRelativeDir); }

// The scripts' base names, sorted; empty when the directory is absent.
std::vector<std::string> ScriptNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(ConformanceDir(), ec)) {
    if (entry.path().extension() == ".test") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The eval statements of a script counted without the script parser: lines whose first word
// starts with "eval".
int CountEvalLines(absl::string_view text) {
  int n = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "eval")) ++n;
  }
  return n;
}

struct FileRun {
  int evals_in_text = 0;
  std::vector<EvalResult> results;
  int passed = 0;
  int failed = 0;
};

// Runs one script; its failures and its "N passed, M failed" line go to stdout when `verbose`.
FileRun RunFile(const std::string& name, bool verbose) {
  static const bool quiet = log::Configure("warn", "logfmt").ok();  // no line per TSDB opened
  EXPECT_TRUE(quiet);
  FileRun run;
  const std::string path = absl::StrCat(ConformanceDir(), "/", name);
  absl::StatusOr<std::string> text = Env::Default()->ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return run;
  run.evals_in_text = CountEvalLines(*text);
  absl::StatusOr<std::vector<EvalResult>> results = RunScriptFile(path);
  EXPECT_TRUE(results.ok()) << name << ": " << results.status();
  if (!results.ok()) return run;
  run.results = *std::move(results);
  for (const EvalResult& r : run.results) {
    if (r.passed()) {
      ++run.passed;
      continue;
    }
    ++run.failed;
    if (verbose) {
      std::printf("FAIL %s:%d  %s  (at %gs; instant %s, range %s, @ variants %s)\n%s\n\n",
                  r.file.c_str(), r.line, r.query.c_str(), r.at_ms / 1000.0,
                  r.instant_ok ? "ok" : "FAILED", r.range_ok ? "ok" : "FAILED",
                  r.at_variants_ok ? "ok" : "FAILED", r.message.c_str());
    }
  }
  std::printf("%s: %d passed, %d failed\n", name.c_str(), run.passed, run.failed);
  std::fflush(stdout);
  return run;
}

class PromqlConformanceFileTest : public testing::TestWithParam<std::string> {};

TEST_P(PromqlConformanceFileTest, EveryEvalPasses) {
  FileRun run = RunFile(GetParam(), /*verbose=*/true);
  EXPECT_EQ(static_cast<int>(run.results.size()), run.evals_in_text)
      << "the script parser found a different number of evals than the file has";
  EXPECT_EQ(run.failed, 0) << GetParam() << ": " << run.failed << " of " << run.results.size()
                           << " evals failed (listed above)";
}

INSTANTIATE_TEST_SUITE_P(Scripts, PromqlConformanceFileTest, testing::ValuesIn(ScriptNames()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.rfind('.'));
                           for (char& c : name) {
                             if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });
// Without the scripts there is nothing to instantiate; AllFiles fails loudly instead.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PromqlConformanceFileTest);

TEST(PromqlConformanceTest, AllFiles) {
  if (!std::filesystem::is_directory(ConformanceDir())) {
    std::printf("NOT RUN: %s not found (looked for %s)\n", kRelativeDir, ConformanceDir().c_str());
    FAIL() << "NOT RUN: " << kRelativeDir << " not found";
  }
  int evals = 0, evals_in_text = 0, passed = 0, failed = 0;
  for (const std::string& name : ScriptNames()) {
    FileRun run = RunFile(name, /*verbose=*/false);
    evals += static_cast<int>(run.results.size());
    evals_in_text += run.evals_in_text;
    passed += run.passed;
    failed += run.failed;
  }
  std::printf("total: %d passed, %d failed\n", passed, failed);
  EXPECT_EQ(evals_in_text, kExpectedEvals) << "the scripts are not the 566 evals of v2.42";
  EXPECT_EQ(evals, kExpectedEvals) << "the script parser found " << evals << " evals";
  EXPECT_EQ(failed, 0) << "see the per-file tests for each failure";
}

}  // namespace
}  // namespace argus::promql::promqltest
