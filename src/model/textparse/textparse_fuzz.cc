// libFuzzer target for both exposition parsers. The first byte picks the format (even: text
// 0.0.4, odd: OpenMetrics); the rest is the body. Parsing must end in kEOF or an
// InvalidArgument "line N: ..." error, never crash or read outside the body, and every series
// entry must give sorted labels and a series text that lies inside the body.
// Seeds: `-write_seeds=DIR`.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "base/status.h"
#include "fuzz/fuzz_util.h"
#include "model/textparse/textparse.h"

namespace argus::textparse {
namespace {

using fuzz::Require;

constexpr char kOpenMetrics[] = "application/openmetrics-text; version=1.0.0; charset=utf-8";
constexpr char kText[] = "text/plain; version=0.0.4";

void Parse(absl::string_view body, absl::string_view content_type) {
  std::unique_ptr<Parser> p = NewParser(body, content_type);
  for (;;) {
    absl::StatusOr<Entry> e = p->Next();
    if (!e.ok()) {
      Require(absl::IsInvalidArgument(e.status()), "parse errors are InvalidArgument");
      Require(absl::StartsWith(e.status().message(), "line "), "parse errors name the line");
      return;
    }
    switch (*e) {
      case Entry::kEOF:
        return;
      case Entry::kSeries: {
        const Sample s = p->Series();
        Require(s.series.data() >= body.data() &&
                    s.series.data() + s.series.size() <= body.data() + body.size(),
                "series text inside the body");
        const std::vector<labels::Label> ls = p->Metric();
        for (size_t i = 1; i < ls.size(); ++i) {
          Require(ls[i - 1].name <= ls[i].name, "labels sorted by name");
        }
        if (std::optional<Exemplar> ex = p->GetExemplar(); ex.has_value()) {
          for (size_t i = 1; i < ex->labels.size(); ++i) {
            Require(ex->labels[i - 1].name <= ex->labels[i].name, "exemplar labels sorted");
          }
        }
        break;
      }
      case Entry::kHelp:
        p->Help();
        break;
      case Entry::kUnit:
        p->Unit();
        break;
      case Entry::kType:
        p->Type();
        break;
      case Entry::kComment:
        p->Comment();
        break;
    }
  }
}

absl::Status WriteSeeds(const std::string& dir) {
  const std::string text =
      "# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
      "# TYPE node_cpu_seconds_total counter\n"
      "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 2.5e+06\n"
      "node_load1 0.25 1700000000000\n"
      "escaped{path=\"C:\\\\dir\\\"x\\\"\\n\"} NaN\n"
      "inf +Inf\n";
  const std::string om =
      "# TYPE http_requests counter\n"
      "# UNIT http_requests requests\n"
      "# HELP http_requests Requests.\n"
      "http_requests_total{code=\"200\"} 1027 1700000000.123 # {trace_id=\"abc\"} 1 1.5\n"
      "http_requests_created{code=\"200\"} 1.7e9\n"
      "# EOF\n";
  RETURN_IF_ERROR(fuzz::WriteSeed(dir, "text", std::string(1, '\0') + text));
  RETURN_IF_ERROR(fuzz::WriteSeed(dir, "openmetrics", std::string(1, '\1') + om));
  return fuzz::WriteSeed(dir, "openmetrics-as-text", std::string(1, '\0') + om);
}

}  // namespace
}  // namespace argus::textparse

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  argus::fuzz::MaybeWriteSeeds(*argc, *argv, argus::textparse::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  argus::textparse::Parse(
      body, (data[0] & 1) != 0 ? argus::textparse::kOpenMetrics : argus::textparse::kText);
  return 0;
}
