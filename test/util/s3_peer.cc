#include "util/s3_peer.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace argus::testing {

std::unique_ptr<S3Peer> S3Peer::Start(const std::string& dir, const std::string& bucket, bool tls) {
  const std::string bin = absl::StrCat(ARGUS_SOURCE_DIR, "/test/npm/node_modules/.bin/s3rver");
  if (access(bin.c_str(), X_OK) != 0) {
    ADD_FAILURE() << bin << " is missing: run scripts/deps.sh (it installs test/npm)";
    return nullptr;
  }
  auto peer = std::unique_ptr<S3Peer>(new S3Peer);
  peer->port_ = FreePort();
  // s3rver makes ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 keeps in
  // its legacy provider.
  std::vector<std::string> argv = {"env",
                                   "NODE_OPTIONS=--openssl-legacy-provider",
                                   bin,
                                   "-d",
                                   dir,
                                   "-a",
                                   "127.0.0.1",
                                   "-p",
                                   absl::StrCat(peer->port_),
                                   "--configure-bucket",
                                   bucket};
  if (tls) {
    peer->ca_file_ = dir + ".crt";
    CommandResult made =
        RunCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", dir + ".key", "-out", peer->ca_file_, "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"});
    if (made.exit_code != 0) {
      ADD_FAILURE() << "openssl could not make a certificate:\n" << made.output;
      return nullptr;
    }
    argv.insert(argv.end(), {"--key", dir + ".key", "--cert", peer->ca_file_});
  }
  peer->child_ = std::make_unique<Child>(argv, dir + ".log");
  std::string log;
  if (!peer->child_->WaitForLog("S3rver listening", 30000, &log)) {
    ADD_FAILURE() << "s3rver did not start:\n" << log;
    return nullptr;
  }
  return peer;
}

std::string S3Peer::endpoint() const { return absl::StrCat("127.0.0.1:", port_); }

std::unique_ptr<FaultProxy> FaultProxy::Start(const std::string& dir, int upstream_port, int every,
                                              const std::string& faults, double stall_seconds) {
  auto proxy = std::unique_ptr<FaultProxy>(new FaultProxy);
  proxy->port_ = FreePort();
  proxy->log_path_ = dir + "/fault_proxy.log";
  proxy->child_ = std::make_unique<Child>(
      std::vector<std::string>{
          "/usr/bin/python3", absl::StrCat(ARGUS_SOURCE_DIR, "/test/objstore/fault_proxy.py"),
          absl::StrCat("--port=", proxy->port_), absl::StrCat("--upstream=", upstream_port),
          absl::StrCat("--every=", every), "--faults=" + faults,
          absl::StrCat("--stall=", stall_seconds)},
      proxy->log_path_);
  std::string log;
  if (!proxy->child_->WaitForLog("fault proxy listening", 30000, &log)) {
    ADD_FAILURE() << "fault proxy did not start:\n" << log;
    return nullptr;
  }
  return proxy;
}

std::string FaultProxy::endpoint() const { return absl::StrCat("127.0.0.1:", port_); }

int FaultProxy::faults_injected() const {
  std::ifstream in(log_path_);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) n += line.rfind("injected ", 0) == 0;
  return n;
}

}  // namespace argus::testing
