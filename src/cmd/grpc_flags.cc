#include "cmd/grpc_flags.h"

#include "base/logging.h"

namespace argus::cmd {

void AddGrpcFlags(CLI::App* app, GrpcFlags* flags) {
  app->add_option("--grpc-address", flags->address,
                  "Listen ip:port address for gRPC endpoints (StoreAPI)")
      ->capture_default_str();
  app->add_option("--grpc-server-tls-cert", flags->tls_cert,
                  "TLS Certificate for gRPC server, leave blank to disable TLS");
  app->add_option("--grpc-server-tls-key", flags->tls_key,
                  "TLS Key for the gRPC server, leave blank to disable TLS");
  app->add_option("--grpc-server-tls-client-ca", flags->tls_client_ca,
                  "TLS CA to verify clients against. If no client CA is specified, there is no "
                  "client verification on server side. (tls.NoClientCert)");
  app->add_option("--store.limits.request-series", flags->request_series,
                  "The maximum series allowed for a single Series request. The Series call fails "
                  "if this limit is exceeded. 0 means no limit.")
      ->capture_default_str();
  app->add_option("--store.limits.request-samples", flags->request_samples,
                  "The maximum samples allowed for a single Series request. The Series call "
                  "fails if this limit is exceeded. 0 means no limit.")
      ->capture_default_str();
}

absl::StatusOr<std::unique_ptr<storeapi::GrpcServer>> StartGrpc(const GrpcFlags& flags,
                                                                const storeapi::Store* store,
                                                                metrics::Registry* registry,
                                                                uint64_t limits_bytes,
                                                                int max_concurrent) {
  storeapi::GrpcServerOptions o;
  o.address = flags.address;
  o.tls_cert = flags.tls_cert;
  o.tls_key = flags.tls_key;
  o.tls_client_ca = flags.tls_client_ca;
  o.service.limits = {flags.request_series, flags.request_samples, limits_bytes};
  o.service.max_concurrent_series = max_concurrent;
  absl::StatusOr<std::unique_ptr<storeapi::GrpcServer>> s =
      storeapi::GrpcServer::Start(o, store, registry);
  if (s.ok()) {
    log::Info("listening for serving gRPC", {{"address", flags.address}, {"port", (*s)->port()}});
  }
  return s;
}

}  // namespace argus::cmd
