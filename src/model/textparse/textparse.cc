#include "model/textparse/textparse.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "model/textparse/internal/lex.h"
#include "model/textparse/openmetricsparse.h"
#include "model/textparse/promparse.h"

namespace argus::textparse {
namespace {

// Builds name/value pairs from 4-offset groups into `body`, values unescaped when asked.
void AppendLabels(absl::string_view body, const std::vector<size_t>& offsets, bool unescape,
                  std::vector<labels::Label>* out) {
  for (size_t i = 0; i + 3 < offsets.size(); i += 4) {
    labels::Label& l = out->emplace_back();
    const absl::string_view name = body.substr(offsets[i], offsets[i + 1] - offsets[i]);
    l.name.assign(name.data(), name.size());
    const absl::string_view value = body.substr(offsets[i + 2], offsets[i + 3] - offsets[i + 2]);
    if (unescape && value.find('\\') != absl::string_view::npos) {
      internal::Unescape(value, /*quotes=*/true, &l.value);
    } else {
      l.value.assign(value.data(), value.size());
    }
  }
  std::stable_sort(out->begin(), out->end(),
                   [](const labels::Label& a, const labels::Label& b) { return a.name < b.name; });
}

}  // namespace

absl::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kUnknown:
      return "unknown";
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
    case MetricType::kGaugeHistogram:
      return "gaugehistogram";
    case MetricType::kSummary:
      return "summary";
    case MetricType::kInfo:
      return "info";
    case MetricType::kStateset:
      return "stateset";
  }
  return "unknown";
}

absl::StatusOr<Entry> Parser::Next() {
  if (done_) return final_;
  absl::StatusOr<Entry> entry = ParseEntry();
  if (entry.ok() && *entry != Entry::kEOF) return entry;
  done_ = true;
  if (entry.ok()) {
    final_ = entry;
  } else {
    const size_t upto = std::min(entry_start_, body_.size());
    const size_t line = 1 + std::count(body_.begin(), body_.begin() + upto, '\n');
    final_ = absl::Status(entry.status().code(),
                          absl::StrCat("line ", line, ": ", entry.status().message()));
  }
  return final_;
}

std::vector<labels::Label> Parser::Metric() const {
  std::vector<labels::Label> out;
  out.reserve(1 + offsets_.size() / 4);
  out.push_back(labels::Label{labels::kMetricName,
                              std::string(body_.substr(name_begin_, name_end_ - name_begin_))});
  AppendLabels(body_, offsets_, /*unescape=*/true, &out);
  return out;
}

std::optional<Exemplar> Parser::GetExemplar() const {
  if (!has_exemplar_) return std::nullopt;
  Exemplar e;
  e.labels.reserve(exemplar_offsets_.size() / 4);
  AppendLabels(body_, exemplar_offsets_, /*unescape=*/false, &e.labels);
  e.value = exemplar_value_;
  e.timestamp_ms = exemplar_ts_;
  return e;
}

std::unique_ptr<Parser> NewParser(absl::string_view body, absl::string_view content_type) {
  absl::string_view media_type = content_type.substr(0, content_type.find(';'));
  media_type = absl::StripAsciiWhitespace(media_type);
  if (absl::EqualsIgnoreCase(media_type, "application/openmetrics-text")) {
    return std::make_unique<OpenMetricsParser>(body);
  }
  return std::make_unique<PromParser>(body);
}

}  // namespace argus::textparse
