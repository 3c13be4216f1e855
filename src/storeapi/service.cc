#include "storeapi/service.h"

#include <memory>
#include <utility>

#include "base/status.h"
#include "storeapi/select.h"
#include "storeapi/wire.h"

namespace argus::storeapi {
namespace {

// Go's names of the gRPC codes, as go-grpc-prometheus labels its metrics.
const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : "Unknown";
}

// absl and gRPC number their codes alike.
grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

template <typename ProtoMatchers>
absl::StatusOr<std::vector<labels::Matcher>> ToMatchers(const ProtoMatchers& in) {
  std::vector<labels::Matcher> out;
  out.reserve(in.size());
  for (const thanos::LabelMatcher& m : in) {
    ASSIGN_OR_RETURN(labels::Matcher lm, labels::Matcher::FromWire(m.type(), m.name(), m.value()));
    out.push_back(std::move(lm));
  }
  return out;
}

// The parts every request shares. `abort` is partial_response_disabled or ABORT.
template <typename ProtoRequest>
absl::StatusOr<Request> ToRequest(const ProtoRequest& p, int64_t min_time, int64_t max_time,
                                  bool abort) {
  Request r;
  r.min_time = min_time;
  r.max_time = max_time;
  ASSIGN_OR_RETURN(r.matchers, ToMatchers(p.matchers()));
  r.abort_on_partial = abort || p.partial_response_strategy() == thanos::ABORT;
  r.without_replica_labels.assign(p.without_replica_labels().begin(),
                                  p.without_replica_labels().end());
  r.limit = p.limit();
  return r;
}

void SetLabels(const labels::Labels& in, google::protobuf::RepeatedPtrField<thanos::Label>* out) {
  out->Reserve(in.size());
  for (const labels::Label& l : in) {
    thanos::Label* p = out->Add();
    p->set_name(l.name);
    p->set_value(l.value);
  }
}

// A time range with "unset" (0, 0) meaning all time, as Thanos's label calls treat it.
std::pair<int64_t, int64_t> LabelRange(int64_t start, int64_t end) {
  if (start == 0 && end == 0) {
    return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
  return {start, end};
}

}  // namespace

StoreService::StoreService(const Store* store, ServiceOptions opts, metrics::Registry* registry)
    : store_(store),
      opts_(opts),
      handled_(&registry->AddCounterVec(
          "grpc_server_handled_total",
          "Total number of RPCs completed on the server, regardless of success or failure.",
          {"grpc_code", "grpc_method", "grpc_service", "grpc_type"})),
      series_sent_(&registry->AddCounter("argus_storeapi_series_sent_total",
                                         "Series sent in answers to StoreAPI Series calls.")),
      chunks_sent_(&registry->AddCounter("argus_storeapi_chunks_sent_total",
                                         "Chunks sent in answers to StoreAPI Series calls.")) {
  // Series (method 1 of thanos.Store) writes frames it encodes itself (storeapi/wire).
  MarkMethodStreamed(
      1, new grpc::internal::SplitServerStreamingHandler<thanos::SeriesRequest, WireFrame>(
             [this](grpc::ServerContext*, SeriesStreamer* stream) { return Series(stream); }));
}

grpc::Status StoreService::Handled(const char* method, const char* type, grpc::Status s) {
  handled_->WithLabelValues({CodeName(s.error_code()), method, "thanos.Store", type}).Inc();
  return s;
}

grpc::Status StoreService::Info(grpc::ServerContext*, const thanos::InfoRequest*,
                                thanos::InfoResponse* resp) {
  const std::vector<SourceRef> sources = store_->Sources();
  const auto [min, max] = TimeRange(sources);
  resp->set_min_time(min);
  resp->set_max_time(max);
  static const thanos::StoreType kTypes[] = {thanos::SIDECAR, thanos::STORE, thanos::QUERY,
                                             thanos::RULE, thanos::RECEIVE};
  resp->set_storetype(kTypes[static_cast<int>(store_->type())]);
  const std::vector<labels::Labels> sets = LabelSets(*store_, sources);
  if (!sets.empty()) SetLabels(sets.front(), resp->mutable_labels());
  for (const labels::Labels& set : sets) SetLabels(set, resp->add_label_sets()->mutable_labels());
  return Handled("Info", "unary", grpc::Status::OK);
}

grpc::Status StoreService::Series(SeriesStreamer* stream) {
  thanos::SeriesRequest req;
  if (!stream->Read(&req)) {
    return Handled("Series", "server_stream",
                   grpc::Status(grpc::StatusCode::INTERNAL, "no request received"));
  }
  {
    std::unique_lock<std::mutex> l(mu_);
    slot_freed_.wait(l, [&] {
      return opts_.max_concurrent_series <= 0 || in_flight_ < opts_.max_concurrent_series;
    });
    ++in_flight_;
  }
  grpc::Status s = ServeSeries(req, stream);
  {
    std::lock_guard<std::mutex> l(mu_);
    --in_flight_;
  }
  slot_freed_.notify_one();
  return Handled("Series", "server_stream", s);
}

grpc::Status StoreService::ServeSeries(const thanos::SeriesRequest& req, SeriesStreamer* stream) {
  absl::StatusOr<Request> r =
      ToRequest(req, req.min_time(), req.max_time(), req.partial_response_disabled());
  if (!r.ok()) return ToGrpc(r.status());
  QueryBudget budget(opts_.limits);
  // A frame holds up to response_batch_size series (one, as a bare series, when unset) and
  // stops growing at kFrameBytes; a full frame goes out when the next series arrives, as the
  // series are selected. A client gone or past its deadline fails the next write.
  constexpr size_t kFrameBytes = 1 << 20;
  const bool batch = req.response_batch_size() > 1;
  const size_t per_frame = batch ? req.response_batch_size() : 1;
  const absl::Status gone = absl::CancelledError("client gone");
  FrameEncoder frame;
  size_t series = 0, chunks = 0;
  absl::StatusOr<std::vector<std::string>> warnings =
      StreamSeries(*store_, *r, req.skip_chunks(), &budget, [&](tsdb::ChunkSeries s) {
        if (frame.series() >= per_frame || frame.bytes() >= kFrameBytes) {
          if (!stream->Write(frame.Finish(batch))) return gone;
        }
        frame.Add(s);
        ++series;
        chunks += s.chunks.size();
        return absl::OkStatus();
      });
  if (!warnings.ok()) return ToGrpc(warnings.status());
  // The last frame leaves together with the status, in one write: the client's last read
  // needs no round of its own.
  std::vector<WireFrame> last;
  if (frame.series() > 0) last.push_back(frame.Finish(batch));
  for (const std::string& w : *warnings) last.push_back(WarningFrame(w));
  for (size_t i = 0; i < last.size(); ++i) {
    if (i + 1 == last.size()) {
      stream->WriteLast(last[i], grpc::WriteOptions());
    } else if (!stream->Write(last[i])) {
      return ToGrpc(gone);
    }
  }
  series_sent_->Add(series);
  chunks_sent_->Add(chunks);
  return grpc::Status::OK;
}

grpc::Status StoreService::LabelNames(grpc::ServerContext*, const thanos::LabelNamesRequest* req,
                                      thanos::LabelNamesResponse* resp) {
  const auto [min, max] = LabelRange(req->start(), req->end());
  absl::StatusOr<Request> r = ToRequest(*req, min, max, req->partial_response_disabled());
  if (!r.ok()) return Handled("LabelNames", "unary", ToGrpc(r.status()));
  absl::StatusOr<StringsAnswer> a = SelectLabelNames(*store_, *r);
  if (!a.ok()) return Handled("LabelNames", "unary", ToGrpc(a.status()));
  resp->mutable_names()->Assign(a->values.begin(), a->values.end());
  resp->mutable_warnings()->Assign(a->warnings.begin(), a->warnings.end());
  return Handled("LabelNames", "unary", grpc::Status::OK);
}

grpc::Status StoreService::LabelValues(grpc::ServerContext*, const thanos::LabelValuesRequest* req,
                                       thanos::LabelValuesResponse* resp) {
  if (req->label().empty()) {
    return Handled(
        "LabelValues", "unary",
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "label name parameter cannot be empty"));
  }
  const auto [min, max] = LabelRange(req->start(), req->end());
  absl::StatusOr<Request> r = ToRequest(*req, min, max, req->partial_response_disabled());
  if (!r.ok()) return Handled("LabelValues", "unary", ToGrpc(r.status()));
  absl::StatusOr<StringsAnswer> a = SelectLabelValues(*store_, req->label(), *r);
  if (!a.ok()) return Handled("LabelValues", "unary", ToGrpc(a.status()));
  resp->mutable_values()->Assign(a->values.begin(), a->values.end());
  resp->mutable_warnings()->Assign(a->warnings.begin(), a->warnings.end());
  return Handled("LabelValues", "unary", grpc::Status::OK);
}

grpc::Status InfoService::Info(grpc::ServerContext*, const thanos::info::InfoRequest*,
                               thanos::info::InfoResponse* resp) {
  static const char* const kTypes[] = {"sidecar", "store", "query", "rule", "receive"};
  resp->set_componenttype(kTypes[static_cast<int>(store_->type())]);
  const std::vector<SourceRef> sources = store_->Sources();
  const auto [min, max] = TimeRange(sources);
  const std::vector<labels::Labels> sets = LabelSets(*store_, sources);
  for (const labels::Labels& set : sets) SetLabels(set, resp->add_label_sets()->mutable_labels());
  thanos::info::StoreInfo* si = resp->mutable_store();
  si->set_min_time(min);
  si->set_max_time(max);
  si->set_supports_without_replica_labels(true);
  for (const labels::Labels& set : sets) {
    thanos::info::TSDBInfo* ti = si->add_tsdb_infos();
    SetLabels(set, ti->mutable_labels()->mutable_labels());
    int64_t tmin = std::numeric_limits<int64_t>::max(), tmax = std::numeric_limits<int64_t>::min();
    for (const SourceRef& s : sources) {
      if (!(s.external == set)) continue;
      tmin = std::min(tmin, s.min_time);
      tmax = std::max(tmax, s.max_time);
    }
    ti->set_min_time(tmin);
    ti->set_max_time(tmax);
  }
  return grpc::Status::OK;
}

}  // namespace argus::storeapi
