#include "model/textparse/internal/strconv.h"

#include <charconv>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"

namespace argus::textparse::internal {

absl::StatusOr<double> ParseFloat(absl::string_view s) {
  if (s.find_first_of("pP_") != absl::string_view::npos) {
    return absl::InvalidArgumentError("unsupported character in float");
  }
  return GoParseFloat(s);
}

absl::StatusOr<int64_t> ParseDigitsInt64(absl::string_view s) {
  int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return v;
  if (r.ec == std::errc::result_out_of_range) {
    return absl::InvalidArgumentError(
        absl::StrCat("strconv.ParseInt: parsing ", GoQuote(s), ": value out of range"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("strconv.ParseInt: parsing ", GoQuote(s), ": invalid syntax"));
}

}  // namespace argus::textparse::internal
