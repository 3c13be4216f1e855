// Test helpers shared by the parser tests: expected entries as data, and a runner that walks a
// parser and compares every entry with them.
#pragma once

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "model/textparse/textparse.h"

namespace argus::textparse::testutil {

// One expected entry.
struct Want {
  Entry kind = Entry::kSeries;
  std::string metric;  // series text for kSeries, else the metric name
  std::string text;    // help, unit or comment text
  MetricType type = MetricType::kUnknown;
  double value = 0;
  std::optional<int64_t> ts;
  std::vector<labels::Label> labels;
  std::optional<Exemplar> exemplar;
};

inline Want Help(std::string m, std::string text) {
  return Want{.kind = Entry::kHelp, .metric = std::move(m), .text = std::move(text)};
}
inline Want Type(std::string m, MetricType t) {
  return Want{.kind = Entry::kType, .metric = std::move(m), .type = t};
}
inline Want Unit(std::string m, std::string unit) {
  return Want{.kind = Entry::kUnit, .metric = std::move(m), .text = std::move(unit)};
}
inline Want Comment(std::string text) {
  return Want{.kind = Entry::kComment, .text = std::move(text)};
}
inline Want Series(std::string series, double v, std::vector<labels::Label> ls,
                   std::optional<int64_t> ts = std::nullopt,
                   std::optional<Exemplar> e = std::nullopt) {
  return Want{.kind = Entry::kSeries,
              .metric = std::move(series),
              .value = v,
              .ts = ts,
              .labels = std::move(ls),
              .exemplar = std::move(e)};
}

inline bool SameFloat(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (a == b); }

// Parses all of `p` and checks it yields exactly `want`, then kEOF.
inline void ExpectEntries(Parser& p, const std::vector<Want>& want) {
  size_t i = 0;
  for (;; ++i) {
    absl::StatusOr<Entry> e = p.Next();
    ASSERT_TRUE(e.ok()) << "entry " << i << ": " << e.status();
    if (*e == Entry::kEOF) break;
    ASSERT_LT(i, want.size()) << "more entries than expected";
    const Want& w = want[i];
    ASSERT_EQ(static_cast<int>(*e), static_cast<int>(w.kind)) << "entry " << i;
    switch (*e) {
      case Entry::kHelp:
        EXPECT_EQ(p.Help().metric, w.metric) << "entry " << i;
        EXPECT_EQ(p.Help().text, w.text) << "entry " << i;
        break;
      case Entry::kUnit:
        EXPECT_EQ(p.Unit().metric, w.metric) << "entry " << i;
        EXPECT_EQ(p.Unit().text, w.text) << "entry " << i;
        break;
      case Entry::kType:
        EXPECT_EQ(p.Type().metric, w.metric) << "entry " << i;
        EXPECT_EQ(MetricTypeName(p.Type().type), MetricTypeName(w.type)) << "entry " << i;
        break;
      case Entry::kComment:
        EXPECT_EQ(p.Comment(), w.text) << "entry " << i;
        break;
      case Entry::kSeries: {
        const Sample s = p.Series();
        EXPECT_EQ(s.series, w.metric) << "entry " << i;
        EXPECT_TRUE(SameFloat(s.value, w.value)) << "entry " << i << ": " << s.value;
        EXPECT_EQ(s.timestamp_ms, w.ts) << "entry " << i;
        EXPECT_EQ(p.Metric(), w.labels) << "entry " << i;
        const std::optional<Exemplar> ex = p.GetExemplar();
        ASSERT_EQ(ex.has_value(), w.exemplar.has_value()) << "entry " << i;
        if (ex) {
          EXPECT_EQ(ex->labels, w.exemplar->labels) << "entry " << i;
          EXPECT_EQ(ex->value, w.exemplar->value) << "entry " << i;
          EXPECT_EQ(ex->timestamp_ms, w.exemplar->timestamp_ms) << "entry " << i;
        }
        break;
      }
      case Entry::kEOF:
        break;
    }
  }
  EXPECT_EQ(i, want.size()) << "fewer entries than expected";
}

// Parses `p` to its end and returns the error message with the "line N: " prefix removed
// ("" when the body parses; `*line` gets N).
inline std::string ErrorOf(Parser& p, int* line = nullptr) {
  for (;;) {
    absl::StatusOr<Entry> e = p.Next();
    if (!e.ok()) {
      EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
      std::string msg(e.status().message());
      const size_t colon = msg.find(": ");
      if (msg.rfind("line ", 0) != 0 || colon == std::string::npos) return "no line: " + msg;
      if (line != nullptr) *line = std::stoi(msg.substr(5, colon - 5));
      return msg.substr(colon + 2);
    }
    if (*e == Entry::kEOF) return "";
  }
}

}  // namespace argus::textparse::testutil
