// The Prometheus text exposition format 0.0.4, parsed as Prometheus v2.42's PromParser does
// (model/textparse/promparse.go and its golex automaton promlex.l).
//
// What the format allows: `# HELP name text` (text unescapes \\ and \n), `# TYPE name type`
// (counter, gauge, histogram, summary, untyped), any other `#` line is a comment; blank lines;
// blanks (space, tab) between tokens; samples `name{label="value",...} value [timestamp]`
// where label values unescape \\ \" \n, a trailing comma in the label set is fine, the value
// is a Go float (NaN, +Inf, -Inf, Inf; no hex, no '_') and the timestamp integer milliseconds.
// Label values must be valid UTF-8. Duplicate label names are not checked here (see Metric()).
#pragma once

#include <algorithm>

#include "model/textparse/internal/lex.h"
#include "model/textparse/textparse.h"

namespace argus::textparse {

// A parser for a 0.0.4 body. Not thread-safe; `body` must outlive it.
class PromParser final : public Parser {
 public:
  explicit PromParser(absl::string_view body);

 private:
  // The start conditions of promlex.l.
  enum class State { kInit, kComment, kMeta1, kMeta2, kLabels, kLValue, kValue, kTimestamp };

  absl::StatusOr<Entry> ParseEntry() override;
  absl::StatusOr<Entry> ParseMeta(internal::Token kind);
  absl::StatusOr<Entry> ParseSample();
  absl::Status ParseLabels();

  // The next token, blanks skipped (promlex returns them; the parser drops them). NextIn<S>
  // is the same for a caller that knows the lexer is in state S (REQUIRES), without the
  // dispatch on the state.
  internal::Token NextToken();
  template <State S>
  internal::Token NextIn();
  internal::Token Lex();
  // One lexer per start condition; each lexes a token that starts at the cursor's mark.
  internal::Token LexInit();
  internal::Token LexComment();
  internal::Token LexMeta1();
  internal::Token LexMeta2();
  internal::Token LexLabels();
  internal::Token LexLValue();
  internal::Token LexValue();
  internal::Token LexTimestamp();
  internal::Token ConsumeComment();
  // Blanks; `skip_nul` in the states that step over NULs (kLValue, kMeta2, kComment).
  internal::Token LexWhitespace(bool skip_nul);
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
