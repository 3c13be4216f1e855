#include "base/hostport.h"

#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace argus {

namespace {

// Go's net.SplitHostPort reasons, plus a decimal port up to 65535.
absl::Status Check(absl::string_view address, HostPort* hp) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos)
    return absl::InvalidArgumentError("missing port in address");
  absl::string_view host;
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    if (close == absl::string_view::npos)
      return absl::InvalidArgumentError("missing ']' in address");
    if (close + 1 == address.size()) return absl::InvalidArgumentError("missing port in address");
    if (close + 1 != colon) {
      return absl::InvalidArgumentError(address[close + 1] == ':' ? "too many colons in address"
                                                                  : "missing port in address");
    }
    host = address.substr(1, close - 1);
  } else {
    host = address.substr(0, colon);
    if (host.find(':') != absl::string_view::npos) {
      return absl::InvalidArgumentError("too many colons in address");
    }
  }
  if (host.find_first_of("[]") != absl::string_view::npos) {
    return absl::InvalidArgumentError("unexpected bracket in address");
  }
  const absl::string_view port = address.substr(colon + 1);
  if (port.empty()) return absl::InvalidArgumentError("missing port in address");
  uint32_t number = 0;
  if (port.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(port, &number) || number > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("invalid port \"", port, "\""));
  }
  hp->host = std::string(host);
  hp->port = static_cast<uint16_t>(number);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<HostPort> ParseHostPort(absl::string_view address) {
  HostPort hp;
  if (absl::Status s = Check(address, &hp); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("address ", address, ": ", s.message()));
  }
  return hp;
}

std::string JoinHostPort(absl::string_view host, uint16_t port) {
  if (host.find(':') != absl::string_view::npos) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

std::string Hostname() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') return "localhost";
  return host;
}

}  // namespace argus
