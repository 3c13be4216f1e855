#include "promql/promqltest/runner.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/env.h"
#include "base/status.h"
#include "promql/engine.h"
#include "promql/parser/parser.h"
#include "promql/promqltest/at_variants.h"
#include "promql/promqltest/compare.h"
#include "tsdb/db/db.h"

namespace argus::promql::promqltest {
namespace {

constexpr int64_t kMinuteMs = 60'000;

// test.go's engine options.
EngineOptions TestEngineOptions() {
  EngineOptions opts;
  opts.lookback_delta_ms = 5 * kMinuteMs;
  opts.max_samples = 10000;
  opts.timeout = absl::Seconds(100);
  opts.no_step_subquery_interval_ms = [] { return kMinuteMs; };
  return opts;
}

// A TSDB in a fresh temporary directory, removed again on destruction.
class TestStorage {
 public:
  static absl::StatusOr<std::unique_ptr<TestStorage>> Create() {
    std::string dir = (std::filesystem::temp_directory_path() / "argus-promqltest-XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("mkdtemp ", dir, " failed"));
    }
    auto storage = std::unique_ptr<TestStorage>(new TestStorage(dir));
    tsdb::DbOptions opts;  // as Prometheus's teststorage: a one-day appendable window
    opts.min_block_duration = opts.max_block_duration = 24 * 3600 * 1000LL;
    opts.retention_ms = 0;
    opts.compaction_interval_ms = 0;
    ASSIGN_OR_RETURN(storage->db_, tsdb::DB::Open(dir, opts));
    return storage;
  }
  ~TestStorage() {
    if (db_ != nullptr) db_->Close().IgnoreError();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  tsdb::DB& db() { return *db_; }

 private:
  explicit TestStorage(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::unique_ptr<tsdb::DB> db_;
};

// Appends every series of `load`: value i at i * interval, gaps skipped. A series written
// twice takes its last line (test.go keeps them in a map).
absl::Status Load(const LoadCmd& load, tsdb::DB& db) {
  std::unique_ptr<storage::Appender> app = db.Appender();
  for (auto it = load.series.begin(); it != load.series.end(); ++it) {
    const SeriesDesc& series = *it;
    if (std::any_of(it + 1, load.series.end(),
                    [&](const SeriesDesc& later) { return later.metric == series.metric; })) {
      continue;
    }
    int64_t t = 0;
    for (const SequenceValue& v : series.values) {
      if (!v.omitted) {
        absl::StatusOr<storage::SeriesRef> ref = app->Append(0, series.metric, t, v.value);
        if (!ref.ok()) {
          app->Rollback().IgnoreError();
          return absl::Status(ref.status().code(), absl::StrCat("load at line ", load.line, ": ",
                                                                series.metric.ToString(), " at ", t,
                                                                "ms: ", ref.status().message()));
        }
      }
      t += load.interval_ms;
    }
  }
  return app->Commit();
}

// The expression of `eval`, with `@ at_ms` set when given (at_variants.h).
absl::StatusOr<parser::ExprPtr> Expr(const EvalCmd& eval, std::optional<int64_t> at_ms) {
  ASSIGN_OR_RETURN(parser::ExprPtr expr, parser::ParseExpr(eval.expr));
  if (at_ms) SetAtModifiers(*expr, *at_ms);
  return expr;
}

// The instant vector of a range result's points at `t`, one per series that has one.
Vector PointsAt(const Matrix& m, int64_t t) {
  Vector vec;
  for (const Series& s : m) {
    for (const FPoint& p : s.points) {
      if (p.t == t) {
        vec.push_back({s.metric, p.t, p.v});
        break;
      }
    }
  }
  return vec;
}

// The instant and the range check of one query (the eval's own, or an @ variant).
struct Checks {
  bool instant_ok = false;
  bool range_ok = false;
  std::string message;
};

Checks CheckQuery(Engine& engine, storage::Queryable& db, const EvalCmd& eval,
                  std::optional<int64_t> at_ms, int64_t t) {
  Checks c;
  const std::string where =
      at_ms ? absl::StrCat(" (@ ", at_ms.value(), " variant at ", t, "ms)") : std::string();
  auto fail = [&](absl::string_view mode, absl::string_view why) {
    absl::StrAppend(&c.message, c.message.empty() ? "" : "\n", mode, where, ": ", why);
  };
  absl::StatusOr<parser::ExprPtr> expr = Expr(eval, at_ms);
  if (!expr.ok()) {
    fail("parse", expr.status().ToString());
    return c;
  }
  const bool scalar = (*expr)->Type() == parser::ValueType::kScalar;
  absl::StatusOr<QueryResult> instant = engine.Exec(db, *std::move(expr), {t, t, 0, {}});
  if (eval.kind == EvalKind::kFail) {
    c.instant_ok = c.range_ok = !instant.ok();  // test.go checks no range query here
    if (instant.ok()) fail("instant", "expected an error, the query succeeded");
    return c;
  }
  if (!instant.ok()) {
    fail("instant", absl::StrCat("query failed: ", instant.status().ToString()));
  } else if (absl::Status s = CompareResult(eval, instant->value); !s.ok()) {
    fail("instant", s.message());
  } else {
    c.instant_ok = true;
  }

  absl::StatusOr<parser::ExprPtr> range_expr = Expr(eval, at_ms);  // Exec consumed the first
  absl::StatusOr<QueryResult> range =
      range_expr.ok()
          ? engine.Exec(db, *std::move(range_expr), {t - kMinuteMs, t + kMinuteMs, kMinuteMs, {}})
          : absl::StatusOr<QueryResult>(range_expr.status());
  if (!range.ok()) {
    fail("range", absl::StrCat("query failed: ", range.status().ToString()));
    return c;
  }
  const Matrix* m = std::get_if<Matrix>(&range->value);
  if (m == nullptr) {
    fail("range", "the range query did not return a matrix");
    return c;
  }
  if (eval.kind == EvalKind::kOrdered) {  // a range result has no order to check
    c.range_ok = true;
    return c;
  }
  Vector at_t = PointsAt(*m, t);
  absl::Status s;
  if (scalar && at_t.empty()) {
    s = absl::FailedPreconditionError("no point at t for the scalar query");
  } else {
    s = scalar ? CompareResult(eval, Scalar{t, at_t[0].v}) : CompareResult(eval, at_t);
  }
  if (!s.ok()) {
    fail("range", s.message());
  } else {
    c.range_ok = true;
  }
  return c;
}

EvalResult Evaluate(absl::string_view file, Engine& engine, storage::Queryable& db,
                    const EvalCmd& eval) {
  EvalResult r;
  r.file = std::string(file);
  r.line = eval.line;
  r.query = eval.expr;
  r.at_ms = eval.at_ms;
  Checks own = CheckQuery(engine, db, eval, std::nullopt, eval.at_ms);
  r.instant_ok = own.instant_ok;
  r.range_ok = own.range_ok;
  r.message = std::move(own.message);
  r.at_variants_ok = true;
  absl::StatusOr<parser::ExprPtr> expr = parser::ParseExpr(eval.expr);
  if (!expr.ok() || !AtVariantsApply(**expr)) return r;
  const std::vector<int64_t> times = AtVariantTimes(eval.at_ms);
  int failed = 0;
  for (int64_t t : times) {
    Checks v = CheckQuery(engine, db, eval, eval.at_ms, t);
    if (v.instant_ok && v.range_ok) continue;
    if (failed++ == 0) {  // the first failing variant tells enough
      absl::StrAppend(&r.message, r.message.empty() ? "" : "\n", v.message);
    }
  }
  if (failed > 0) {
    r.at_variants_ok = false;
    absl::StrAppend(&r.message, "\n(", failed, " of ", times.size(), " @ variants failed)");
  }
  return r;
}

}  // namespace

absl::StatusOr<std::vector<EvalResult>> RunScript(absl::string_view file,
                                                  const std::vector<Command>& cmds) {
  std::vector<EvalResult> results;
  ASSIGN_OR_RETURN(std::unique_ptr<TestStorage> storage, TestStorage::Create());
  Engine engine(TestEngineOptions());
  for (const Command& cmd : cmds) {
    if (std::holds_alternative<ClearCmd>(cmd)) {
      storage.reset();  // the old directory goes before the new one is made
      ASSIGN_OR_RETURN(storage, TestStorage::Create());
    } else if (const auto* load = std::get_if<LoadCmd>(&cmd)) {
      RETURN_IF_ERROR(Load(*load, storage->db()));
    } else {
      results.push_back(Evaluate(file, engine, storage->db(), std::get<EvalCmd>(cmd)));
    }
  }
  return results;
}

absl::StatusOr<std::vector<EvalResult>> RunScriptFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, Env::Default()->ReadFile(path));
  absl::StatusOr<std::vector<Command>> cmds = ParseScript(text);
  const std::string name = std::filesystem::path(path).filename().string();
  if (!cmds.ok()) {
    return absl::Status(cmds.status().code(), absl::StrCat(name, ": ", cmds.status().message()));
  }
  return RunScript(name, *cmds);
}

}  // namespace argus::promql::promqltest
