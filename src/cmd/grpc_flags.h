// The StoreAPI flags every gRPC-serving role shares, as Thanos names them: --grpc-address,
// --grpc-server-tls-cert/-key/-client-ca, --store.limits.request-series/-samples.
#pragma once

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "metrics/registry.h"
#include "storeapi/grpc_server.h"

namespace argus::cmd {

struct GrpcFlags {
  std::string address;  // empty: StoreAPI not served
  std::string tls_cert, tls_key, tls_client_ca;
  uint64_t request_series = 0;
  uint64_t request_samples = 0;
};

// Declares the flags on `app`; `flags->address` holds the default address ("" for none).
void AddGrpcFlags(CLI::App* app, GrpcFlags* flags);

// Serves `store` (which must outlive the server) as the flags say, with `limits_bytes` as the
// per-query memory budget (0 = none) and at most `max_concurrent` Series calls at once (0 =
// unlimited). Logs where it listens. Errors: those of storeapi::GrpcServer::Start.
absl::StatusOr<std::unique_ptr<storeapi::GrpcServer>> StartGrpc(const GrpcFlags& flags,
                                                                const storeapi::Store* store,
                                                                metrics::Registry* registry,
                                                                uint64_t limits_bytes = 0,
                                                                int max_concurrent = 0);

}  // namespace argus::cmd
