#include "storeapi/client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "base/status.h"
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
  GrpcSeriesStream(grpc::Channel* channel, const grpc::internal::RpcMethod& method,
                   const thanos::SeriesRequest& req, absl::Time deadline) {
    SetDeadline(&ctx_, deadline);
    reader_.reset(grpc::internal::ClientAsyncReaderFactory<WireFrame>::Create(
        channel, &cq_, method, &ctx_, req, true, &started_));
  }
  ~GrpcSeriesStream() override {
    if (!finished_) {
      ctx_.TryCancel();
      WireFrame drain;
      while (Read(&drain)) {
      }
      Finish().IgnoreError();
    }
    reader_.reset();  // before the queue it reports to goes
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  absl::StatusOr<bool> Next(SeriesFrame* out) override {
    out->series.clear();
    out->warning.clear();
    if (finished_) return false;
    WireFrame frame;
    if (!Read(&frame)) {
      RETURN_IF_ERROR(Finish());
      return false;
    }
    RETURN_IF_ERROR(DecodeFrame(frame, out));
    return true;
  }

  void Cancel() override { ctx_.TryCancel(); }

 private:
  // The next frame; false once the stream has ended.
  bool Read(WireFrame* frame) {
    return Await([&](void* tag) { reader_->Read(frame, tag); });
  }
  // The call's status, once Read returned false (or after a cancel).
  absl::Status Finish() {
    finished_ = true;
    grpc::Status status;
    Await([&](void* tag) { reader_->Finish(&status, tag); });
    return FromGrpc(status);
  }

  // Starts an operation with a tag of its own and waits for it (and for the call's start);
  // the operation's success.
  template <typename Start>
  bool Await(Start start) {
    char op;
    start(&op);
    for (;;) {
      void* tag;
      bool ok;
      if (!cq_.Next(&tag, &ok)) return false;
      if (tag == &op) return ok;
    }
  }

  grpc::ClientContext ctx_;
  grpc::CompletionQueue cq_;
  std::unique_ptr<grpc::ClientAsyncReader<WireFrame>> reader_;
  char started_ = 0;
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

StoreClient::StoreClient(std::string address, std::shared_ptr<grpc::Channel> channel)
    : address_(std::move(address)),
      channel_(std::move(channel)),
      store_(thanos::Store::NewStub(channel_)),
      series_method_("/thanos.Store/Series", grpc::internal::RpcMethod::SERVER_STREAMING,
                     channel_) {}

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
  return std::make_unique<GrpcSeriesStream>(channel_.get(), series_method_, req, deadline);
}

}  // namespace argus::storeapi
