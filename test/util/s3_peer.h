// A real S3-compatible server (the npm package s3rver, installed under test/npm by
// scripts/deps.sh) for the object-storage tests, and the fault-injecting proxy that can stand
// in front of it (test/objstore/fault_proxy.py).
#pragma once

#include <memory>
#include <string>

#include "util/process.h"

namespace argus::testing {

// s3rver's fixed credentials.
inline constexpr char kS3rverAccessKey[] = "S3RVER";
inline constexpr char kS3rverSecretKey[] = "S3RVER";

class S3Peer {
 public:
  // Starts s3rver on a free port of 127.0.0.1 with its data in `dir` and `bucket` created;
  // with `tls`, over HTTPS with a new self-signed certificate for localhost and 127.0.0.1
  // (ca_file()). Fails the current test (and returns nullptr) if it does not come up.
  static std::unique_ptr<S3Peer> Start(const std::string& dir, const std::string& bucket,
                                       bool tls = false);
  // The certificate a TLS server presents (its own CA).
  const std::string& ca_file() const { return ca_file_; }
  int port() const { return port_; }
  // "127.0.0.1:<port>", the S3 config's endpoint.
  std::string endpoint() const;

 private:
  std::unique_ptr<Child> child_;
  int port_ = 0;
  std::string ca_file_;
};

// A fault_proxy.py in front of the server on `upstream_port`: every `every`th request gets the
// next of `faults` (comma-separated kinds, see the script); stalls last `stall_seconds`.
class FaultProxy {
 public:
  static std::unique_ptr<FaultProxy> Start(const std::string& dir, int upstream_port, int every,
                                           const std::string& faults, double stall_seconds);
  int port() const { return port_; }
  std::string endpoint() const;
  // How many faults it injected so far.
  int faults_injected() const;

 private:
  std::unique_ptr<Child> child_;
  std::string log_path_;
  int port_ = 0;
};

}  // namespace argus::testing
