// The Prometheus text exposition format 0.0.4 writer for /metrics.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "metrics/family.h"

namespace argus::metrics {

inline constexpr char kTextContentType[] = "text/plain; version=0.0.4; charset=utf-8";

// Appends `s` escaped as the text format wants it: backslash and newline always (HELP text),
// double quotes too when `escape_quotes` (label values).
void AppendEscaped(std::string& out, absl::string_view s, bool escape_quotes);

// Shortest text that reads back as `v`; "NaN", "+Inf", "-Inf" for the special values.
std::string FormatValue(double v);

// Renders families (in the given order) with HELP and TYPE lines, escaping HELP text
// (backslash, newline) and label values (backslash, quote, newline).
std::string WriteText(const std::vector<FamilySnapshot>& families);

}  // namespace argus::metrics
