// Streaming JSON output for the Prometheus HTTP API, byte for byte as Prometheus writes it
// (encoding/json's HTML-safe string escaping, jsonutil's sample timestamps and values). Plain
// appends to a std::string: query results can hold millions of points.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "promql/value.h"

namespace argus::http::api {

// `s` as a JSON string literal, as Go's encoding/json escapes it: \" \\ \n \r \t, other control
// bytes and < > & U+2028 U+2029 as \u00xx / \u2028, each invalid UTF-8 byte as \ufffd.
void AppendJsonString(absl::string_view s, std::string* out);

// A label set as a JSON object in label order ({"__name__":"up","job":"a"}).
void AppendLabels(const labels::Labels& lset, std::string* out);

// ["a","b",...]
void AppendStringArray(const std::vector<std::string>& values, std::string* out);

// A query result as /api/v1/query writes it: {"resultType":"vector","result":[...]} with
// "value"/"values" pairs [t,"v"] per sample or series (t in seconds, the fraction in exactly
// three digits when not zero, as jsonutil.MarshalTimestamp; v as jsonutil.MarshalValue:
// strconv 'f' -1 but in exponent form below 1e-6 and from 1e21 in magnitude, "NaN", "+Inf"), and
// [t,"v"] for a scalar or string (whose timestamps print as encoding/json floats: 1.5, not 1.500).
void AppendQueryData(const promql::Value& value, std::string* out);

}  // namespace argus::http::api
