// Listen and dial addresses in the forms Prometheus and Thanos flags take: "host:port",
// ":port", "[v6addr]:port".
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus {

struct HostPort {
  std::string host;  // empty for ":port" (all interfaces); without brackets for IPv6
  uint16_t port = 0;
};

// Errors: InvalidArgument "address A: <reason>", with the reasons of Go's net.SplitHostPort
// ("missing port in address", "too many colons in address", "missing ']' in address",
// "unexpected bracket in address") and `invalid port "P"` for a port that is not a decimal
// number up to 65535.
absl::StatusOr<HostPort> ParseHostPort(absl::string_view address);

// Go's net.JoinHostPort: "host:port", brackets around a host with a colon (IPv6, with or without
// a zone).
std::string JoinHostPort(absl::string_view host, uint16_t port);

// This machine's host name (gethostname), or "localhost" if it has none.
std::string Hostname();

}  // namespace argus
