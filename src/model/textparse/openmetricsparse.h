// OpenMetrics 1.0 text, parsed as Prometheus v2.42's OpenMetricsParser does
// (model/textparse/openmetricsparse.go and its golex automaton openmetricslex.l).
//
// Stricter than 0.0.4: the body must end with `# EOF` (one optional newline after it, nothing
// else); exactly one space between tokens; no blank lines and no comments besides
// `# HELP name text` (text unescapes \\ \" \n), `# TYPE name type` (counter, gauge, histogram,
// gaugehistogram, summary, info, stateset, unknown) and `# UNIT name unit` (the unit must be a
// `_`-separated suffix of the name); no trailing comma in label sets; no raw newline in label
// values. Timestamps are float seconds (read as milliseconds, truncated); a sample of a
// *_total or *_bucket metric may carry an exemplar `# {labels} value [timestamp]`.
#pragma once

#include <algorithm>
#include <vector>

#include "model/textparse/internal/lex.h"
#include "model/textparse/textparse.h"

namespace argus::textparse {

// A parser for an OpenMetrics body. Not thread-safe; `body` must outlive it.
class OpenMetricsParser final : public Parser {
 public:
  explicit OpenMetricsParser(absl::string_view body);

 private:
  // The start conditions of openmetricslex.l.
  enum class State {
    kInit,
    kComment,
    kMeta1,
    kMeta2,
    kLabels,
    kLValue,
    kValue,
    kTimestamp,
    kExemplar,
    kEValue,
    kETimestamp
  };

  absl::StatusOr<Entry> ParseEntry() override;
  absl::StatusOr<Entry> ParseMeta(internal::Token kind);
  absl::StatusOr<Entry> ParseSample();
  absl::Status ParseExemplar();
  template <bool kExemplar>
  absl::Status ParseLabels(std::vector<size_t>* offsets);
  absl::StatusOr<double> ParseValue(internal::Token t, absl::string_view after);
  absl::StatusOr<int64_t> ParseTimestamp(absl::string_view invalid_message);

  // The next token, lexed in state S (REQUIRES: the lexer is in S; each call site knows).
  template <State S>
  internal::Token NextIn();
  // One lexer per start condition; each lexes a token that starts at the cursor's mark.
  internal::Token LexInit();
  internal::Token LexComment();
  internal::Token LexMeta1();
  internal::Token LexMeta2();
  internal::Token LexLabels();  // also the exemplar's label state
  internal::Token LexLValue();
  internal::Token LexValue();
  internal::Token LexTimestamp();
  internal::Token LexEValue();
  internal::Token LexETimestamp();
  // A " value" token (the states kValue, kEValue, kETimestamp).
  internal::Token LexSpacedValue(State next, internal::Token token);
  // The current token's bytes (the appended newline of 0.0.4 is not in the body).
  absl::string_view TokenText() const {
    const size_t end = std::min(cur_.pos(), body_.size());
    const size_t start = std::min(cur_.start(), end);
    return absl::string_view(body_.data() + start, end - start);
  }

  internal::Cursor cur_;
  State state_ = State::kInit;
};

}  // namespace argus::textparse
