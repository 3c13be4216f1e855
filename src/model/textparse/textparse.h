// Streaming parsers for scraped exposition text, as Prometheus v2.42's model/textparse: the
// text format 0.0.4 (promparse.h) and OpenMetrics 1.0 text (openmetricsparse.h). A parser
// walks a body entry by entry without copying it: the views it hands out point into the body
// (or into the parser for unescaped help text) and stay valid until the next call to Next().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"

namespace argus::textparse {

// What the current entry is. Prometheus's EntryInvalid is an error Status here and its
// EntryHistogram never comes from a text format, so neither exists.
enum class Entry { kType, kHelp, kSeries, kComment, kUnit, kEOF };

// The metric types of `# TYPE` lines. 0.0.4's "untyped" is kUnknown.
enum class MetricType {
  kUnknown,
  kCounter,
  kGauge,
  kHistogram,
  kGaugeHistogram,
  kSummary,
  kInfo,
  kStateset
};

// Prometheus's name of `type`: "counter", ..., "unknown" (also for 0.0.4's untyped).
absl::string_view MetricTypeName(MetricType type);

// A sample of a kSeries entry.
struct Sample {
  // The series as written, e.g. `foo{a="b"}`: from the start of the line (0.0.4 keeps leading
  // blanks) to the end of the name or the closing brace. Scrape caches key on it.
  absl::string_view series;
  std::optional<int64_t> timestamp_ms;
  // NaN is always Prometheus's normal NaN (bits 0x7ff8000000000001).
  double value = 0;
};

// The metric and text of a kHelp (text unescaped) or kUnit entry.
struct MetricText {
  absl::string_view metric;
  absl::string_view text;
};

// The metric and type of a kType entry.
struct MetricTypeInfo {
  absl::string_view metric;
  MetricType type = MetricType::kUnknown;
};

// An OpenMetrics exemplar (`... # {trace_id="x"} 1.5 1700000000.123`).
struct Exemplar {
  // Sorted by name; values as written (v2.42 does not unescape exemplar label values).
  std::vector<labels::Label> labels;
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

// A parser over one body. Not thread-safe; the body must outlive the parser. The accessors
// may only be called for the entry kind that Next() last returned (REQUIRES).
class Parser {
 public:
  virtual ~Parser() = default;
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Advances to the next entry; kEOF at the end of the body. A malformed body gives an
  // InvalidArgument Status "line N: <Prometheus's message>", e.g. `line 3: expected value
  // after metric, got "INVALID"`. After kEOF or an error, every later call returns the same.
  absl::StatusOr<Entry> Next();

  // REQUIRES: kSeries.
  Sample Series() const { return Sample{series_, ts_, value_}; }
  // REQUIRES: kHelp.
  MetricText Help() const { return MetricText{meta_name_, text_}; }
  // REQUIRES: kUnit.
  MetricText Unit() const { return MetricText{meta_name_, text_}; }
  // REQUIRES: kType.
  MetricTypeInfo Type() const { return MetricTypeInfo{meta_name_, type_}; }
  // The whole comment line without its newline, e.g. "# some text". REQUIRES: kComment.
  absl::string_view Comment() const { return text_; }

  // The labels of the current sample, __name__ included, values unescaped, sorted by name.
  // Duplicate names are kept, in input order: the parser does not reject them, as in
  // Prometheus, where the TSDB appender refuses the series (`label name "x" is not unique`);
  // the scrape layer must check before building labels::Labels. REQUIRES: kSeries.
  std::vector<labels::Label> Metric() const;

  // The exemplar of the current sample, if it has one (OpenMetrics only). REQUIRES: kSeries.
  std::optional<Exemplar> GetExemplar() const;

 protected:
  explicit Parser(absl::string_view body) : body_(body) {}

  // Parses the next entry into the fields below. Errors carry Prometheus's message; Next()
  // adds the line number of entry_start_.
  virtual absl::StatusOr<Entry> ParseEntry() = 0;

  // Adds the label pair (name [a,b), value [c,d)) as offsets into body_.
  void AddLabel(size_t a, size_t b, size_t c, size_t d) {
    offsets_.insert(offsets_.end(), {a, b, c, d});
  }

  absl::string_view body_;
  size_t entry_start_ = 0;  // where the entry being parsed starts in body_

  // The current entry.
  absl::string_view series_;
  double value_ = 0;
  std::optional<int64_t> ts_;
  size_t name_begin_ = 0, name_end_ = 0;  // the metric name of a series, in body_
  std::vector<size_t> offsets_;           // label pairs of a series: 4 offsets each
  absl::string_view meta_name_;
  absl::string_view text_;  // help, unit or comment text
  std::string help_buf_;    // unescaped help text when it had escapes
  MetricType type_ = MetricType::kUnknown;

  // The exemplar of the current series (OpenMetrics).
  bool has_exemplar_ = false;
  std::vector<size_t> exemplar_offsets_;
  double exemplar_value_ = 0;
  std::optional<int64_t> exemplar_ts_;

 private:
  bool done_ = false;
  absl::StatusOr<Entry> final_ = Entry::kEOF;
};

// A parser for `body` served with HTTP Content-Type `content_type`: OpenMetrics for the media
// type application/openmetrics-text (any parameters, case-insensitive), else the 0.0.4 text
// format (also for an empty or malformed content type, where Prometheus falls back too).
std::unique_ptr<Parser> NewParser(absl::string_view body, absl::string_view content_type);

}  // namespace argus::textparse
