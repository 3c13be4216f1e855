#include "storeapi/client.h"

#include <xxhash.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "base/status.h"
#include "google/protobuf/arena.h"
#include "thanos/info.grpc.pb.h"

namespace argus::storeapi {
namespace {

absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

void SetDeadline(grpc::ClientContext* ctx, absl::Time deadline) {
  if (deadline != absl::InfiniteFuture()) ctx->set_deadline(absl::ToChronoTime(deadline));
}

template <typename ProtoLabels>
labels::Labels ToLabels(const ProtoLabels& in) {
  std::vector<labels::Label> out;
  out.reserve(in.size());
  for (const thanos::Label& l : in) out.push_back({l.name(), l.value()});
  return labels::Labels::FromUnsorted(std::move(out));
}

template <typename ProtoSets>
std::vector<labels::Labels> ToLabelSets(const ProtoSets& in) {
  std::vector<labels::Labels> out;
  for (const thanos::LabelSet& set : in) out.push_back(ToLabels(set.labels()));
  return out;
}

class GrpcSeriesStream final : public SeriesStream {
 public:
  GrpcSeriesStream(thanos::Store::Stub* stub, const thanos::SeriesRequest& req,
                   absl::Time deadline) {
    SetDeadline(&ctx_, deadline);
    reader_ = stub->Series(&ctx_, req);
  }
  ~GrpcSeriesStream() override {
    if (!finished_) {
      ctx_.TryCancel();
      thanos::SeriesResponse drain;
      while (reader_->Read(&drain)) {
      }
      reader_->Finish().IgnoreError();
    }
  }

  absl::StatusOr<bool> Next(SeriesFrame* out) override {
    out->series.clear();
    out->warning.clear();
    if (finished_) return false;
    // Each frame in an arena of its own: its many small parts are one allocation, freed when
    // the last series of the frame goes.
    google::protobuf::ArenaOptions opts;
    opts.start_block_size = 32 << 10;
    opts.max_block_size = 1 << 20;
    auto arena = std::make_shared<google::protobuf::Arena>(opts);
    thanos::SeriesResponse* raw =
        google::protobuf::Arena::CreateMessage<thanos::SeriesResponse>(arena.get());
    std::shared_ptr<thanos::SeriesResponse> msg(arena, raw);
    if (!reader_->Read(msg.get())) {
      finished_ = true;
      RETURN_IF_ERROR(FromGrpc(reader_->Finish()));
      return false;
    }
    switch (msg->result_case()) {
      case thanos::SeriesResponse::kSeries: {
        // The series stays inside the message; the views point into it.
        std::shared_ptr<const thanos::Series> s(msg, &msg->series());
        ASSIGN_OR_RETURN(tsdb::ChunkSeries cs, FromProto(std::move(s)));
        out->series.push_back(std::move(cs));
        return true;
      }
      case thanos::SeriesResponse::kBatch:
        out->series.reserve(msg->batch().series_size());
        for (const thanos::Series& one : msg->batch().series()) {
          ASSIGN_OR_RETURN(tsdb::ChunkSeries cs,
                           FromProto(std::shared_ptr<const thanos::Series>(msg, &one)));
          out->series.push_back(std::move(cs));
        }
        return true;
      case thanos::SeriesResponse::kWarning:
        out->warning = msg->warning();
        return true;
      default:  // hints, or a frame of a newer protocol: nothing to keep
        return true;
    }
  }

  void Cancel() override { ctx_.TryCancel(); }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<thanos::SeriesResponse>> reader_;
  bool finished_ = false;
};

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ClientCredentials(
    const ClientTlsOptions& tls) {
  if (!tls.secure) return grpc::InsecureChannelCredentials();
  if (tls.cert.empty() != tls.key.empty()) {
    return absl::InvalidArgumentError(
        "--grpc-client-tls-cert and --grpc-client-tls-key must be given together");
  }
  Env* env = Env::Default();
  grpc::SslCredentialsOptions ssl;
  if (!tls.ca.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs, env->ReadFile(tls.ca));
  }
  if (!tls.cert.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_cert_chain, env->ReadFile(tls.cert));
    ASSIGN_OR_RETURN(ssl.pem_private_key, env->ReadFile(tls.key));
  }
  return grpc::SslCredentials(ssl);
}

std::shared_ptr<grpc::Channel> Dial(const std::string& address,
                                    std::shared_ptr<grpc::ChannelCredentials> creds,
                                    const std::string& server_name) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  if (!server_name.empty()) args.SetSslTargetNameOverride(server_name);
  return grpc::CreateCustomChannel(address, std::move(creds), args);
}

void AppendWireMatchers(const std::vector<labels::Matcher>& matchers,
                        google::protobuf::RepeatedPtrField<thanos::LabelMatcher>* out) {
  for (const labels::Matcher& m : matchers) {
    thanos::LabelMatcher* w = out->Add();
    switch (m.type()) {
      case labels::MatchType::kEqual:
        w->set_type(thanos::LabelMatcher::EQ);
        break;
      case labels::MatchType::kNotEqual:
        w->set_type(thanos::LabelMatcher::NEQ);
        break;
      case labels::MatchType::kRegexMatch:
        w->set_type(thanos::LabelMatcher::RE);
        break;
      case labels::MatchType::kRegexNoMatch:
        w->set_type(thanos::LabelMatcher::NRE);
        break;
    }
    w->set_name(m.name());
    w->set_value(m.value());
  }
}

absl::StatusOr<tsdb::ChunkSeries> FromProto(std::shared_ptr<const thanos::Series> series) {
  tsdb::ChunkSeries out;
  out.labels = ToLabels(series->labels());
  out.chunks.reserve(series->chunks_size());
  for (const thanos::AggrChunk& c : series->chunks()) {
    if (!c.has_raw()) {
      return absl::DataLossError(
          absl::StrCat("series ", out.labels.ToString(), ": chunk without raw data (downsampled)"));
    }
    const thanos::Chunk& raw = c.raw();
    if (raw.type() != thanos::Chunk::XOR) {
      return absl::DataLossError(absl::StrCat("series ", out.labels.ToString(),
                                              ": unsupported chunk encoding ", raw.type()));
    }
    if (raw.hash() != 0 && raw.hash() != XXH64(raw.data().data(), raw.data().size(), 0)) {
      return absl::DataLossError(
          absl::StrCat("series ", out.labels.ToString(), ": chunk hash mismatch"));
    }
    out.chunks.push_back({c.min_time(), c.max_time(), raw.data()});
  }
  out.keepalive.push_back(std::move(series));
  return out;
}

StoreClient::StoreClient(std::string address, std::shared_ptr<grpc::Channel> channel)
    : address_(std::move(address)),
      channel_(std::move(channel)),
      store_(thanos::Store::NewStub(channel_)) {}

absl::StatusOr<EndpointInfo> StoreClient::Info(absl::Time deadline) {
  EndpointInfo info;
  {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, deadline);
    thanos::info::InfoResponse resp;
    const grpc::Status s =
        thanos::info::Info::NewStub(channel_)->Info(&ctx, thanos::info::InfoRequest(), &resp);
    if (s.ok()) {
      info.component_type = resp.componenttype();
      info.label_sets = ToLabelSets(resp.label_sets());
      info.has_store_api = resp.has_store();
      info.min_time = resp.store().min_time();
      info.max_time = resp.store().max_time();
      info.supports_without_replica_labels = resp.store().supports_without_replica_labels();
      return info;
    }
    if (s.error_code() != grpc::StatusCode::UNIMPLEMENTED) return FromGrpc(s);
  }
  grpc::ClientContext ctx;
  SetDeadline(&ctx, deadline);
  thanos::InfoResponse resp;
  RETURN_IF_ERROR(FromGrpc(store_->Info(&ctx, thanos::InfoRequest(), &resp)));
  static const char* const kTypes[] = {"", "query", "rule", "sidecar", "store", "receive", "debug"};
  const int t = resp.storetype();
  info.component_type = t >= 0 && t < 7 ? kTypes[t] : "";
  info.label_sets = ToLabelSets(resp.label_sets());
  info.has_store_api = true;
  info.min_time = resp.min_time();
  info.max_time = resp.max_time();
  return info;
}

absl::StatusOr<StringsReply> StoreClient::LabelNames(const thanos::LabelNamesRequest& req,
                                                     absl::Time deadline) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, deadline);
  thanos::LabelNamesResponse resp;
  RETURN_IF_ERROR(FromGrpc(store_->LabelNames(&ctx, req, &resp)));
  return StringsReply{{resp.names().begin(), resp.names().end()},
                      {resp.warnings().begin(), resp.warnings().end()}};
}

absl::StatusOr<StringsReply> StoreClient::LabelValues(const thanos::LabelValuesRequest& req,
                                                      absl::Time deadline) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, deadline);
  thanos::LabelValuesResponse resp;
  RETURN_IF_ERROR(FromGrpc(store_->LabelValues(&ctx, req, &resp)));
  return StringsReply{{resp.values().begin(), resp.values().end()},
                      {resp.warnings().begin(), resp.warnings().end()}};
}

std::unique_ptr<SeriesStream> StoreClient::Series(const thanos::SeriesRequest& req,
                                                  absl::Time deadline) {
  return std::make_unique<GrpcSeriesStream>(store_.get(), req, deadline);
}

}  // namespace argus::storeapi
