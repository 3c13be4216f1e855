// The querier's set of StoreAPI endpoints (Thanos's query.EndpointSet): --endpoint and
// --endpoint-strict addresses (DNS ones re-resolved every --store.sd-dns-interval), Info asked
// of each every 5 s with a 5 s timeout. A non-strict endpoint joins after its first answered
// Info, is not queried while its last Info failed, and leaves once it has not answered for
// --store.unhealthy-timeout; strict endpoints are always queried and never leave (before their
// first answer they count as a store of all times and all labels).
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "metrics/registry.h"
#include "nlohmann/json.hpp"
#include "query/dns.h"
#include "storeapi/client.h"

namespace argus::query {

struct EndpointSetOptions {
  std::vector<std::string> endpoints;         // --endpoint
  std::vector<std::string> strict_endpoints;  // --endpoint-strict
  storeapi::ClientTlsOptions tls;
  absl::Duration info_interval = absl::Seconds(5);
  absl::Duration info_timeout = absl::Seconds(5);
  absl::Duration unhealthy_timeout = absl::Minutes(5);  // --store.unhealthy-timeout
  absl::Duration dns_interval = absl::Seconds(30);      // --store.sd-dns-interval
};

// What /api/v1/stores shows of an endpoint.
struct EndpointStatus {
  std::string address;
  bool strict = false;
  std::optional<storeapi::EndpointInfo> info;  // the last answered Info
  absl::Time last_check = absl::UnixEpoch();   // when Info last answered
  std::string last_error;                      // of the last Info; empty when it answered
};

// One endpoint. Thread-safe.
class Endpoint {
 public:
  Endpoint(std::string address, bool strict, std::shared_ptr<grpc::Channel> channel);

  const std::string& address() const { return client_.address(); }
  bool strict() const { return strict_; }
  storeapi::StoreClient& client() { return client_; }
  // What queries go by: the last answered Info, or (a strict endpoint that never answered)
  // a store of all times and labels.
  storeapi::EndpointInfo info() const;
  EndpointStatus status() const;
  // Strict, or its last Info answered.
  bool queryable() const;

  // Records an Info call's outcome at `now`.
  void Update(const absl::StatusOr<storeapi::EndpointInfo>& info, absl::Time now);
  absl::Time created() const { return created_; }

 private:
  storeapi::StoreClient client_;
  const bool strict_;
  const absl::Time created_ = absl::Now();
  mutable std::mutex mu_;
  EndpointStatus status_;
};

class EndpointSet {
 public:
  // Errors: InvalidArgument for a malformed address, or TLS files Dial refuses.
  static absl::StatusOr<std::unique_ptr<EndpointSet>> Create(EndpointSetOptions opts,
                                                             std::unique_ptr<Resolver> resolver,
                                                             metrics::Registry* registry);
  ~EndpointSet();

  // One refresh: re-resolves DNS addresses when due, asks every endpoint's Info at once, adds
  // the new ones that answered and removes vanished and long-unhealthy ones.
  void Update();
  // Calls Update now and then every info_interval on a thread, until destruction.
  void Start();
  // Whether an Update has finished (readiness).
  bool ready() const;

  // The endpoints queries go to.
  std::vector<std::shared_ptr<Endpoint>> Queryable() const;
  // Every endpoint's status, by address.
  std::vector<EndpointStatus> Statuses() const;

 private:
  EndpointSet(EndpointSetOptions opts, std::unique_ptr<Resolver> resolver,
              std::shared_ptr<grpc::ChannelCredentials> creds);
  // The addresses the flags name now, with whether each is strict.
  std::map<std::string, bool> Addresses();

  struct Spec {
    EndpointAddress address;
    bool strict = false;
    std::vector<std::string> resolved;  // the last successful resolution
  };

  const EndpointSetOptions opts_;
  std::unique_ptr<Resolver> resolver_;
  const std::shared_ptr<grpc::ChannelCredentials> creds_;  // for every endpoint
  std::vector<Spec> specs_;                                // only the updating thread touches them
  absl::Time resolved_at_ = absl::InfinitePast();

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Endpoint>> endpoints_;
  bool ready_ = false;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

// The /api/v1/stores data: {"<component type>": [{"name", "lastCheck", "lastError",
// "labelSets", "minTime", "maxTime"}, ...]} as Thanos writes it; endpoints that never answered
// Info are left out.
nlohmann::json StoresJson(const std::vector<EndpointStatus>& statuses);

}  // namespace argus::query
