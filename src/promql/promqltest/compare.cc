#include "promql/promqltest/compare.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"

namespace argus::promql::promqltest {
namespace {

constexpr double kEpsilon = 1e-6;

std::string SampleLine(const labels::Labels& metric, double v) {
  return absl::StrCat("    ", metric.ToString(), " ", GoFormatG(v), "\n");
}

// "expected:" and "got:" blocks, one sample per line, for the failure message.
std::string Diff(const EvalCmd& eval, const Value& result) {
  std::string out = "\n  expected:\n";
  for (const ExpectedSample& s : eval.samples) out += SampleLine(s.metric, s.value);
  if (eval.scalar) absl::StrAppend(&out, "    scalar ", GoFormatG(*eval.scalar), "\n");
  out += "  got:\n";
  if (const auto* vec = std::get_if<Vector>(&result)) {
    for (const Sample& s : *vec) out += SampleLine(s.metric, s.v);
  } else if (const auto* sc = std::get_if<Scalar>(&result)) {
    absl::StrAppend(&out, "    scalar ", GoFormatG(sc->v), "\n");
  } else if (const auto* str = std::get_if<String>(&result)) {
    absl::StrAppend(&out, "    string ", GoQuote(str->v), "\n");
  } else {
    for (const Series& s : std::get<Matrix>(result)) {
      absl::StrAppend(&out, "    ", s.metric.ToString(), " (", s.points.size(), " points)\n");
    }
  }
  return out;
}

// The first mismatch, or "" when the result matches.
std::string Mismatch(const EvalCmd& eval, const Value& result) {
  if (std::holds_alternative<Matrix>(result)) {
    return "received range result on instant evaluation";
  }
  if (std::holds_alternative<String>(result)) return "received a string result";
  if (const auto* sc = std::get_if<Scalar>(&result)) {
    if (!eval.scalar) return "received a scalar result where samples were expected";
    if (!AlmostEqual(*eval.scalar, sc->v)) {
      return absl::StrCat("expected scalar ", GoFormatG(*eval.scalar), " but got ",
                          GoFormatG(sc->v));
    }
    return "";
  }
  const Vector& vec = std::get<Vector>(result);
  std::vector<bool> seen(eval.samples.size());
  for (size_t pos = 0; pos < vec.size(); ++pos) {
    const Sample& got = vec[pos];
    size_t k = 0;
    while (k < eval.samples.size() && !(eval.samples[k].metric == got.metric)) ++k;
    if (k == eval.samples.size()) {
      return absl::StrCat("unexpected metric ", got.metric.ToString(), " in result");
    }
    const ExpectedSample& want = eval.samples[k];
    if (eval.kind == EvalKind::kOrdered && want.position != static_cast<int>(pos) + 1) {
      return absl::StrCat("expected metric ", want.metric.ToString(), " with ",
                          GoFormatG(want.value), " at position ", want.position, " but was at ",
                          pos + 1);
    }
    if (!AlmostEqual(want.value, got.v)) {
      return absl::StrCat("expected ", GoFormatG(want.value), " for ", got.metric.ToString(),
                          " but got ", GoFormatG(got.v));
    }
    seen[k] = true;
  }
  for (size_t k = 0; k < eval.samples.size(); ++k) {
    if (!seen[k]) {
      return absl::StrCat("expected metric ", eval.samples[k].metric.ToString(), " with ",
                          GoFormatG(eval.samples[k].value), " not found");
    }
  }
  if (eval.scalar) {
    return absl::StrCat("expected scalar ", GoFormatG(*eval.scalar), " not found");
  }
  return "";
}

}  // namespace

bool AlmostEqual(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  const double min_normal = std::numeric_limits<double>::min();
  const double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || diff < min_normal) return diff < kEpsilon * min_normal;
  return diff / (std::fabs(a) + std::fabs(b)) < kEpsilon;
}

absl::Status CompareResult(const EvalCmd& eval, const Value& result) {
  std::string mismatch = Mismatch(eval, result);
  if (mismatch.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(mismatch, Diff(eval, result)));
}

}  // namespace argus::promql::promqltest
