#include "storeapi/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <chrono>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "base/hostport.h"
#include "base/status.h"

namespace argus::storeapi {
namespace {

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const GrpcServerOptions& opts) {
  if (opts.tls_cert.empty() && opts.tls_key.empty()) {
    if (!opts.tls_client_ca.empty()) {
      return absl::InvalidArgumentError(
          "--grpc-server-tls-client-ca needs --grpc-server-tls-cert and --grpc-server-tls-key");
    }
    return grpc::InsecureServerCredentials();
  }
  if (opts.tls_cert.empty() || opts.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "--grpc-server-tls-cert and --grpc-server-tls-key must be given together");
  }
  Env* env = Env::Default();
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.cert_chain, env->ReadFile(opts.tls_cert));
  ASSIGN_OR_RETURN(pair.private_key, env->ReadFile(opts.tls_key));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!opts.tls_client_ca.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs, env->ReadFile(opts.tls_client_ca));
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(const GrpcServerOptions& opts,
                                                              const Store* store,
                                                              metrics::Registry* registry) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> creds, Credentials(opts));
  // In gRPC's words: ":10901" (all interfaces, as Go reads it; prometheus-operator passes it)
  // becomes "0.0.0.0:10901".
  ASSIGN_OR_RETURN(const HostPort hp, ParseHostPort(opts.address));
  const std::string address = JoinHostPort(hp.host.empty() ? "0.0.0.0" : hp.host, hp.port);
  std::unique_ptr<GrpcServer> s(new GrpcServer());
  s->store_service_ = std::make_unique<StoreService>(store, opts.service, registry);
  s->info_service_ = std::make_unique<InfoService>(store);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, creds, &s->port_);
  builder.SetMaxReceiveMessageSize(std::numeric_limits<int>::max());
  builder.SetMaxSendMessageSize(std::numeric_limits<int>::max());
  builder.RegisterService(s->store_service_.get());
  builder.RegisterService(s->info_service_.get());
  s->server_ = builder.BuildAndStart();
  if (s->server_ == nullptr || s->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("gRPC: cannot listen on ", opts.address));
  }
  s->SetServing(false);
  return s;
}

GrpcServer::~GrpcServer() { Shutdown(); }

void GrpcServer::SetServing(bool serving) {
  if (server_ != nullptr) server_->GetHealthCheckService()->SetServingStatus(serving);
}

void GrpcServer::Shutdown() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server_->Wait();
  server_.reset();
}

}  // namespace argus::storeapi
