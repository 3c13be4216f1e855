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

// Errors: InvalidArgument for a missing or non-numeric port, a port above 65535, or unbalanced
// brackets.
absl::StatusOr<HostPort> ParseHostPort(absl::string_view address);

// This machine's host name (gethostname), or "localhost" if it has none.
std::string Hostname();

}  // namespace argus
