// The gRPC listener of every StoreAPI-serving role (Thanos's --grpc-address and
// --grpc-server-tls-* flags): thanos.Store and thanos.info.Info over a Store, the standard
// grpc.health.v1.Health service and server reflection; messages up to 2^31-1 bytes.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "storeapi/service.h"

namespace argus::storeapi {

struct GrpcServerOptions {
  std::string address = "0.0.0.0:10901";  // host:port or :port (all); port 0 picks a free one
  // TLS when cert and key are set; with client_ca, clients must present a certificate it
  // signed (mTLS). Paths to PEM files.
  std::string tls_cert, tls_key, tls_client_ca;
  ServiceOptions service;
};

class GrpcServer {
 public:
  // Starts serving `store` (which must outlive the server); health answers NOT_SERVING until
  // SetServing(true). Errors: InvalidArgument for a malformed address, TLS flags given alone
  // or unreadable TLS files; Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(const GrpcServerOptions& opts,
                                                           const Store* store,
                                                           metrics::Registry* registry);
  ~GrpcServer();

  // The bound port (the chosen one when the address asked for port 0).
  int port() const { return port_; }
  // The health service's overall status (SERVING once the role is ready).
  void SetServing(bool serving);
  // Stops accepting calls and waits for running ones (cancelled after a short grace).
  void Shutdown();

 private:
  GrpcServer() = default;
  std::unique_ptr<StoreService> store_service_;
  std::unique_ptr<InfoService> info_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace argus::storeapi
