// The client side of the StoreAPI (what Thanos's querier holds per endpoint): a gRPC channel
// with the --grpc-client-tls-* settings, Info through thanos.info.Info with the legacy
// thanos.Store/Info as fallback, Series as a stream of frames, LabelNames and LabelValues.
// Received series become tsdb::ChunkSeries whose chunk bytes stay in the received frame.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "model/labels/labels.h"
#include "model/labels/matcher.h"
#include "storeapi/wire.h"
#include "thanos/rpc.grpc.pb.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::storeapi {

// Thanos's --grpc-client-tls-* and --grpc-client-server-name flags.
struct ClientTlsOptions {
  bool secure = false;      // TLS at all; the rest needs it
  std::string cert, key;    // client certificate (mTLS), PEM files; both or neither
  std::string ca;           // CA bundle to verify servers with; empty: the system's roots
  std::string server_name;  // name to verify the server's certificate against
};

// What `tls` asks for, its files read once for all channels. Errors: InvalidArgument for an
// unreadable TLS file or a certificate without its key.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ClientCredentials(
    const ClientTlsOptions& tls);

// A channel to `address` ("host:port") that connects lazily, verifying the server's certificate
// against `server_name` when set.
std::shared_ptr<grpc::Channel> Dial(const std::string& address,
                                    std::shared_ptr<grpc::ChannelCredentials> creds,
                                    const std::string& server_name);

// What an endpoint's Info says.
struct EndpointInfo {
  std::string component_type;  // "sidecar", "store", "query", "rule", "receive"
  std::vector<labels::Labels> label_sets;
  int64_t min_time = 0;
  int64_t max_time = 0;
  bool has_store_api = false;  // serves thanos.Store
  bool supports_without_replica_labels = false;
};

// A Series call in flight. Not thread-safe, except Cancel.
class SeriesStream {
 public:
  virtual ~SeriesStream() = default;
  // The next frame into `out`; false at the end of the stream. Errors: the call's status
  // (DeadlineExceeded, Unavailable, ...), DataLoss for a malformed frame or a chunk Argus
  // cannot read (not XOR, no raw chunk).
  virtual absl::StatusOr<bool> Next(SeriesFrame* out) = 0;
  // Ends the call from any thread; a blocked Next returns Cancelled.
  virtual void Cancel() = 0;
};

struct StringsReply {
  std::vector<std::string> values;
  std::vector<std::string> warnings;
};

// Thread-safe.
class StoreClient {
 public:
  StoreClient(std::string address, std::shared_ptr<grpc::Channel> channel);

  const std::string& address() const { return address_; }

  // Info until `deadline`: thanos.info.Info, or the legacy thanos.Store/Info when the endpoint
  // answers Unimplemented (Thanos v0.22 and older). Errors: the call's.
  absl::StatusOr<EndpointInfo> Info(absl::Time deadline);
  absl::StatusOr<StringsReply> LabelNames(const thanos::LabelNamesRequest& req,
                                          absl::Time deadline);
  absl::StatusOr<StringsReply> LabelValues(const thanos::LabelValuesRequest& req,
                                           absl::Time deadline);
  // Starts a Series call ending at `deadline` at the latest.
  std::unique_ptr<SeriesStream> Series(const thanos::SeriesRequest& req, absl::Time deadline);

 private:
  const std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<thanos::Store::Stub> store_;
  const grpc::internal::RpcMethod series_method_;  // read as WireFrames (storeapi/wire)
};

// `matchers` as StoreAPI label matchers, appended to `out`.
void AppendWireMatchers(const std::vector<labels::Matcher>& matchers,
                        google::protobuf::RepeatedPtrField<thanos::LabelMatcher>* out);

}  // namespace argus::storeapi
