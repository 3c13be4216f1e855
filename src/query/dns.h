// Resolution of the querier's --endpoint addresses, as Thanos's pkg/discovery/dns does it:
// "host:port" as given, "dns+host:port" through A and AAAA records, "dnssrv+name" through SRV
// records and then A/AAAA of each target, "dnssrvnoa+name" through SRV records alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus::query {

// The kinds of --endpoint address Thanos accepts.
enum class AddressKind {
  kStatic,     // "host:port": dialled as given
  kDns,        // "dns+host:port": A and AAAA records of host, each with port
  kDnsSrv,     // "dnssrv+_grpc._tcp.name": SRV records, then A/AAAA of each target at its port
  kDnsSrvNoA,  // "dnssrvnoa+_grpc._tcp.name": SRV records as target:port, no A lookup
};

struct EndpointAddress {
  AddressKind kind = AddressKind::kStatic;
  // The part after the prefix: "host:port" for kStatic and kDns; for the SRV kinds the name to
  // look up, optionally with ":port", which then replaces the port of every SRV record.
  std::string name;
};

// Parses an --endpoint value. A '+' separates the lookup prefix ("dns", "dnssrv", "dnssrvnoa")
// from the name; without one the address is static. Static and dns+ addresses must be
// "host:port" or "[v6host]:port" with a decimal port up to 65535. Errors (InvalidArgument, the
// message naming the value): empty value, unknown prefix, missing or invalid port ("missing port
// in address", as Go's net.SplitHostPort words it), unbalanced brackets, too many colons, empty
// host.
absl::StatusOr<EndpointAddress> ParseEndpointAddress(absl::string_view value);

// One record of a DNS SRV answer.
struct SrvRecord {
  std::string target;  // without the trailing dot; "." (no service, RFC 2782) is kept as "."
  uint16_t port = 0;
  uint16_t priority = 0;
  uint16_t weight = 0;
};

// Parses the answer section of the DNS response `msg[0, len)` (as res_nquery returns it) and
// returns its SRV records of class IN in packet order; other records (a CNAME leading to the SRV
// name, say) are skipped. Compressed names are expanded. The header's response code is not
// looked at: the lookup functions report failures before there is an answer to parse.
// Errors: DataLoss for a malformed or truncated message (never reads outside `msg`);
// InvalidArgument for `len` above 65535, the largest DNS message.
absl::StatusOr<std::vector<SrvRecord>> ParseSrvAnswer(const unsigned char* msg, size_t len);

// Turns an EndpointAddress into the "host:port" strings to dial.
class Resolver {
 public:
  virtual ~Resolver() = default;

  // Returns "host:port" strings (IPv6 hosts in brackets: "[::1]:10901"), sorted and without
  // duplicates. A static address resolves to itself without a lookup (a name that does not
  // resolve yet is kept for gRPC to retry). A name without records (NXDOMAIN or no data)
  // resolves to an empty list and OK, as Thanos logs and keeps going. Errors: Unavailable for
  // any other lookup failure (server failure, timeout, no reachable name server), the message
  // naming the address.
  virtual absl::StatusOr<std::vector<std::string>> Resolve(const EndpointAddress& address) = 0;
};

// The system's resolver: getaddrinfo for A/AAAA (so /etc/hosts and nsswitch apply) and
// libresolv's res_nsearch with a per-call res_state for SRV (resolv.conf's search list and
// ndots apply, as with Go's resolver). SRV targets "." are skipped. Calls block for as long as
// resolv.conf's timeouts allow. Thread-safe: it holds no state.
std::unique_ptr<Resolver> NewSystemResolver();

}  // namespace argus::query
