#include "storage/remote/write_handler.h"

#include <snappy.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "metrics/registry.h"
#include "prompb/remote.pb.h"

namespace argus::storage::remote {
namespace {

absl::StatusOr<labels::Labels> ToLabels(const prometheus::TimeSeries& ts) {
  std::vector<labels::Label> ls;
  ls.reserve(ts.labels_size());
  for (const prometheus::Label& l : ts.labels()) {
    if (!metrics::IsValidLabelName(l.name())) {
      return absl::InvalidArgumentError(absl::StrCat("invalid label name \"", l.name(), "\""));
    }
    if (!l.value().empty()) ls.push_back({l.name(), l.value()});
  }
  labels::Labels out = labels::Labels::FromUnsorted(std::move(ls));
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].name == out[i - 1].name) {
      return absl::InvalidArgumentError(
          absl::StrCat("duplicate label name \"", out[i].name, "\" in ", out.ToString()));
    }
  }
  return out;
}

absl::Status Append(const prometheus::WriteRequest& req, Appender& app) {
  for (const prometheus::TimeSeries& ts : req.timeseries()) {
    ASSIGN_OR_RETURN(labels::Labels lset, ToLabels(ts));
    if (ts.histograms_size() > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("native histograms are not supported: series ", lset.ToString()));
    }
    for (const prometheus::Sample& s : ts.samples()) {
      absl::StatusOr<SeriesRef> ref = app.Append(0, lset, s.timestamp(), s.value());
      if (!ref.ok()) {
        return Annotate(ref.status(),
                        absl::StrCat("series ", lset.ToString(), " timestamp ", s.timestamp()));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyWriteRequest(absl::string_view body, Appender& app) {
  std::string raw;
  if (!snappy::Uncompress(body.data(), body.size(), &raw)) {
    return absl::InvalidArgumentError("snappy: corrupt input");
  }
  prometheus::WriteRequest req;
  if (!req.ParseFromString(raw)) {
    return absl::InvalidArgumentError("decoding remote write request: malformed protobuf");
  }
  if (absl::Status st = Append(req, app); !st.ok()) {
    app.Rollback().IgnoreError();
    return st;
  }
  return app.Commit();
}

int WriteStatusCode(const absl::Status& st) {
  if (st.ok()) return 204;
  if (absl::IsInvalidArgument(st) || absl::IsFailedPrecondition(st) || absl::IsOutOfRange(st)) {
    return 400;
  }
  return 500;
}

}  // namespace argus::storage::remote
