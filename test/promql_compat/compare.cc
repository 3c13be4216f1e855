#include "promql_compat/compare.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace argus::testing::promql_compat {
namespace {

using nlohmann::json;

constexpr int kShown = 3;  // differences shown per list

double ParseValue(const std::string& s) {
  if (s == "NaN") return std::nan("");
  if (s == "+Inf") return HUGE_VAL;
  if (s == "-Inf") return -HUGE_VAL;
  return std::strtod(s.c_str(), nullptr);
}

// A sample's time in milliseconds (the API prints seconds with up to 3 decimals).
int64_t Millis(const json& t) {
  return t.is_number() ? std::llround(t.get<double>() * 1000) : INT64_MIN;
}

std::string Str(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// One series of a vector or matrix: its label set (canonical JSON) and its [t, v] points.
struct Series {
  std::string labels;
  std::vector<std::pair<int64_t, std::string>> points;
};

std::vector<Series> ToSeries(const json& result, const char* points_field) {
  std::vector<Series> out;
  if (!result.is_array()) return out;
  for (const json& s : result) {
    Series x{s.value("metric", json::object()).dump(), {}};
    if (std::string(points_field) == "value") {
      if (s.contains("value")) x.points.emplace_back(Millis(s["value"][0]), Str(s["value"][1]));
    } else {
      for (const json& p : s.value("values", json::array())) {
        x.points.emplace_back(Millis(p[0]), Str(p[1]));
      }
    }
    out.push_back(std::move(x));
  }
  return out;
}

std::string Time(int64_t ms) {
  return absl::StrFormat("%d.%03d", ms / 1000, std::llabs(ms % 1000));
}

std::string Point(const std::pair<int64_t, std::string>& p) {
  return absl::StrCat("[", Time(p.first), " ", p.second, "]");
}

// Compares two series with the same labels; appends at most kShown differences to `out`.
void ComparePoints(const Series& want, const Series& got, std::string* kind, std::string* out) {
  size_t i = 0, j = 0;
  int shown = 0;
  int count = 0;
  while (i < want.points.size() || j < got.points.size()) {
    std::string line;
    if (j == got.points.size() ||
        (i < want.points.size() && want.points[i].first < got.points[j].first)) {
      line = absl::StrCat("only prometheus has ", Point(want.points[i++]));
      if (kind->empty()) *kind = "timestamps";
    } else if (i == want.points.size() || got.points[j].first < want.points[i].first) {
      line = absl::StrCat("only argus has ", Point(got.points[j++]));
      if (kind->empty()) *kind = "timestamps";
    } else {
      if (!SameValue(want.points[i].second, got.points[j].second)) {
        line = absl::StrCat("at ", Time(want.points[i].first), " prometheus ",
                            want.points[i].second, " argus ", got.points[j].second);
        if (kind->empty()) *kind = "values";
      }
      ++i;
      ++j;
    }
    if (line.empty()) continue;
    ++count;
    if (shown++ < kShown) absl::StrAppend(out, "    ", line, "\n");
  }
  if (count > kShown) absl::StrAppend(out, "    ... ", count - kShown, " more\n");
}

Diff CompareSeries(std::vector<Series> want, std::vector<Series> got, bool ordered) {
  Diff d;
  if (ordered) {
    // The order is by value; series with equal values may come in any order.
    std::string a, b;
    for (const Series& s : want)
      absl::StrAppend(&a, s.points.empty() ? "-" : s.points[0].second, " ");
    for (const Series& s : got)
      absl::StrAppend(&b, s.points.empty() ? "-" : s.points[0].second, " ");
    bool same = want.size() == got.size();
    for (size_t k = 0; same && k < want.size(); ++k) {
      same =
          want[k].points.size() == got[k].points.size() &&
          (want[k].points.empty() || SameValue(want[k].points[0].second, got[k].points[0].second));
    }
    if (!same) {
      d.kind = "order";
      d.text = absl::StrCat("  values in order: prometheus ", a.substr(0, 300), "\n",
                            "                   argus      ", b.substr(0, 300), "\n");
    }
  }
  auto by_labels = [](const Series& x, const Series& y) { return x.labels < y.labels; };
  std::stable_sort(want.begin(), want.end(), by_labels);
  std::stable_sort(got.begin(), got.end(), by_labels);
  std::vector<std::string> only_want, only_got;
  size_t i = 0, j = 0;
  int shown = 0, differing = 0;
  std::string point_diffs;
  std::string point_kind;
  while (i < want.size() || j < got.size()) {
    if (j == got.size() || (i < want.size() && want[i].labels < got[j].labels)) {
      only_want.push_back(want[i++].labels);
    } else if (i == want.size() || got[j].labels < want[i].labels) {
      only_got.push_back(got[j++].labels);
    } else {
      std::string text;
      ComparePoints(want[i], got[j], &point_kind, &text);
      if (!text.empty()) {
        ++differing;
        if (shown++ < kShown) absl::StrAppend(&point_diffs, "  ", want[i].labels, ":\n", text);
      }
      ++i;
      ++j;
    }
  }
  auto list = [&](const char* side, const std::vector<std::string>& v) {
    if (v.empty()) return;
    absl::StrAppend(&d.text, "  ", v.size(), " series only in ", side, ":");
    for (size_t k = 0; k < v.size() && k < kShown; ++k) absl::StrAppend(&d.text, " ", v[k]);
    absl::StrAppend(&d.text, v.size() > kShown ? " ...\n" : "\n");
  };
  list("prometheus", only_want);
  list("argus", only_got);
  if (!only_want.empty() || !only_got.empty()) d.kind = "series";
  if (differing > 0) {
    if (d.kind.empty()) d.kind = point_kind;
    absl::StrAppend(&d.text, point_diffs);
    if (differing > kShown)
      absl::StrAppend(&d.text, "  ... ", differing - kShown, " more series differ\n");
  }
  return d;
}

}  // namespace

bool SameValue(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const double x = ParseValue(a), y = ParseValue(b);
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  if (x == y) return true;
  if (std::isinf(x) || std::isinf(y)) return false;
  return std::fabs(x - y) <= 1e-6 * std::max(std::fabs(x), std::fabs(y));
}

bool IsOrderedQuery(const std::string& query) {
  std::string q;
  for (char c : query) {
    if (!std::isspace(static_cast<unsigned char>(c))) q.push_back(c);
  }
  for (const char* f : {"sort(", "sort_desc(", "topk(", "bottomk("}) {
    if (!absl::StartsWith(q, f)) continue;
    // The call must be the whole expression: its parenthesis closes at the very end.
    int depth = 0;
    bool in_string = false;
    char quote = 0;
    for (size_t k = std::string(f).size() - 1; k < q.size(); ++k) {
      const char c = q[k];
      if (in_string) {
        if (c == '\\') {
          ++k;
        } else if (c == quote) {
          in_string = false;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        in_string = true;
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        return k == q.size() - 1;
      }
    }
  }
  return false;
}

Diff CompareResponses(const Response& want, const Response& got, bool ordered) {
  Diff d;
  const json a = json::parse(want.body, nullptr, false);
  const json b = json::parse(got.body, nullptr, false);
  if (a.is_discarded() || b.is_discarded() || !a.is_object() || !b.is_object()) {
    if (want.code != got.code || want.body != got.body) {
      d.kind = "unparsable";
      d.text = absl::StrCat("  prometheus ", want.code, ": ", want.body.substr(0, 300),
                            "\n  argus ", got.code, ": ", got.body.substr(0, 300), "\n");
    }
    return d;
  }
  const std::string status_a = a.value("status", ""), status_b = b.value("status", "");
  if (status_a != "success" || status_b != "success") {
    const std::string line_a = absl::StrCat(want.code, " ", status_a, " ", a.value("errorType", ""),
                                            ": ", a.value("error", "")),
                      line_b = absl::StrCat(got.code, " ", status_b, " ", b.value("errorType", ""),
                                            ": ", b.value("error", ""));
    if (line_a != line_b) {
      d.kind = status_a != status_b || a.value("errorType", "") != b.value("errorType", "")
                   ? "error"
                   : (want.code != got.code ? "http-code" : "error-message");
      d.text = absl::StrCat("  prometheus ", line_a.substr(0, 400), "\n  argus      ",
                            (status_b == "success" ? got.body : line_b).substr(0, 400), "\n");
    }
    return d;
  }
  if (want.code != got.code) {
    d.kind = "http-code";
    d.text = absl::StrCat("  prometheus ", want.code, ", argus ", got.code, "\n");
    return d;
  }
  const json& da = a["data"];
  const json& db = b["data"];
  const std::string type = da.value("resultType", ""), type_b = db.value("resultType", "");
  if (type != type_b) {
    d.kind = "result-type";
    d.text = absl::StrCat("  prometheus ", type, ", argus ", type_b, "\n");
    return d;
  }
  const json& ra = da["result"];
  const json& rb = db["result"];
  if (type == "scalar" || type == "string") {
    const bool same = ra.is_array() && rb.is_array() && ra.size() == 2 && rb.size() == 2 &&
                      Millis(ra[0]) == Millis(rb[0]) &&
                      (type == "scalar" ? SameValue(Str(ra[1]), Str(rb[1])) : ra[1] == rb[1]);
    if (!same) {
      d.kind = "values";
      d.text = absl::StrCat("  prometheus ", ra.dump(), "\n  argus      ", rb.dump(), "\n");
    }
    return d;
  }
  return CompareSeries(ToSeries(ra, type == "vector" ? "value" : "values"),
                       ToSeries(rb, type == "vector" ? "value" : "values"),
                       ordered && type == "vector");
}

}  // namespace argus::testing::promql_compat
