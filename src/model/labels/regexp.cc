#include "model/labels/regexp.h"

#include "absl/strings/str_cat.h"

namespace argus::labels {
namespace {

// Go's regexp/syntax ErrorCode text for RE2's code.
absl::string_view GoErrorText(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "regexp/syntax: internal error";
  }
}

absl::Status GoError(absl::string_view text, absl::string_view arg) {
  return absl::InvalidArgumentError(absl::StrCat("error parsing regexp: ", text, ": `", arg, "`"));
}

// Whether `expr` uses \C (any byte) outside a \Q...\E quote.
bool HasAnyByteEscape(absl::string_view expr) {
  for (size_t i = 0; i + 1 < expr.size(); ++i) {
    if (expr[i] != '\\') continue;
    if (expr[i + 1] == 'C') return true;
    if (expr[i + 1] == 'Q') {
      const size_t end = expr.find("\\E", i + 2);
      if (end == absl::string_view::npos) return false;
      i = end;
    }
    ++i;  // the escaped character
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const RE2>> CompileAnchored(absl::string_view expr) {
  if (HasAnyByteEscape(expr)) return GoError(GoErrorText(RE2::ErrorBadEscape), "\\C");
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_unique<const RE2>(absl::StrCat("^(?:", expr, ")$"), opts);
  if (!re->ok()) return GoError(GoErrorText(re->error_code()), re->error_arg());
  return re;
}

}  // namespace argus::labels
