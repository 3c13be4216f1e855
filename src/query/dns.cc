#include "query/dns.h"

#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/hostport.h"
#include "base/status.h"

namespace argus::query {
namespace {

constexpr size_t kMaxDnsMessage = 65535;

// "host:port" with a host (base/hostport allows ":port", meaning all interfaces).
absl::StatusOr<HostPort> SplitHostPort(absl::string_view address) {
  ASSIGN_OR_RETURN(HostPort hp, ParseHostPort(address));
  if (hp.host.empty()) return absl::InvalidArgumentError("empty host");
  return hp;
}

absl::string_view Prefix(AddressKind kind) {
  switch (kind) {
    case AddressKind::kStatic:
      return "";
    case AddressKind::kDns:
      return "dns+";
    case AddressKind::kDnsSrv:
      return "dnssrv+";
    case AddressKind::kDnsSrvNoA:
      return "dnssrvnoa+";
  }
  return "";
}

// The SRV kinds take a bare name or "name:port" (the port then replaces the records' ports).
absl::StatusOr<HostPort> SplitSrvName(absl::string_view name) {
  if (name.find(':') == absl::string_view::npos) {
    if (name.empty()) return absl::InvalidArgumentError("empty host");
    return HostPort{std::string(name), 0};  // the records' ports
  }
  return SplitHostPort(name);
}

// The IP addresses (numeric, IPv6 with its zone if any) `host` has: getaddrinfo, so the hosts
// file and nsswitch apply. No records: empty and OK. Errors: Unavailable.
absl::StatusOr<std::vector<std::string>> LookupIp(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address rather than one per socket type
  addrinfo* result = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (rc == EAI_NONAME) return std::vector<std::string>{};
#ifdef EAI_NODATA
  if (rc == EAI_NODATA) return std::vector<std::string>{};
#endif
#ifdef EAI_ADDRFAMILY
  if (rc == EAI_ADDRFAMILY) return std::vector<std::string>{};
#endif
  if (rc != 0) {
    std::string why =
        rc == EAI_SYSTEM ? std::generic_category().message(errno) : std::string(gai_strerror(rc));
    return absl::UnavailableError(absl::StrCat("lookup ", host, ": ", why));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(result, &freeaddrinfo);
  std::vector<std::string> ips;
  for (const addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    char text[NI_MAXHOST];
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, text, sizeof(text), nullptr, 0, NI_NUMERICHOST) !=
        0) {
      continue;  // cannot happen for an AF_INET/AF_INET6 address with NI_NUMERICHOST
    }
    ips.emplace_back(text);
  }
  return ips;
}

// The SRV records of `name` through libresolv with a state of its own (res_nsearch: the search
// list and ndots apply). NXDOMAIN or no data: empty and OK. Errors: Unavailable.
absl::StatusOr<std::vector<SrvRecord>> LookupSrv(const std::string& name) {
  struct __res_state state {};
  if (res_ninit(&state) != 0) {
    return absl::UnavailableError(
        absl::StrCat("lookup SRV ", name, ": cannot initialise the resolver (resolv.conf)"));
  }
  std::vector<unsigned char> answer(kMaxDnsMessage);
  int n = res_nsearch(&state, name.c_str(), ns_c_in, ns_t_srv, answer.data(),
                      static_cast<int>(answer.size()));
  int h_error = state.res_h_errno;
  res_nclose(&state);
  if (n < 0) {
    if (h_error == HOST_NOT_FOUND || h_error == NO_DATA) return std::vector<SrvRecord>{};
    return absl::UnavailableError(absl::StrCat("lookup SRV ", name, ": ", hstrerror(h_error)));
  }
  // A reply larger than the buffer comes back cut to it with its full length as the result.
  size_t len = std::min(static_cast<size_t>(n), answer.size());
  absl::StatusOr<std::vector<SrvRecord>> records = ParseSrvAnswer(answer.data(), len);
  if (!records.ok()) {
    return absl::UnavailableError(
        absl::StrCat("lookup SRV ", name, ": ", records.status().message()));
  }
  return records;
}

class SystemResolver final : public Resolver {
 public:
  absl::StatusOr<std::vector<std::string>> Resolve(const EndpointAddress& address) override {
    absl::StatusOr<std::vector<std::string>> resolved = ResolveUnsorted(address);
    if (!resolved.ok()) {
      return Annotate(resolved.status(),
                      absl::StrCat("resolve ", Prefix(address.kind), address.name));
    }
    std::sort(resolved->begin(), resolved->end());
    resolved->erase(std::unique(resolved->begin(), resolved->end()), resolved->end());
    return resolved;
  }

 private:
  static absl::StatusOr<std::vector<std::string>> ResolveUnsorted(const EndpointAddress& address) {
    std::vector<std::string> out;
    switch (address.kind) {
      case AddressKind::kStatic:
        out.push_back(address.name);
        break;
      case AddressKind::kDns: {
        ASSIGN_OR_RETURN(HostPort hp, SplitHostPort(address.name));
        ASSIGN_OR_RETURN(std::vector<std::string> ips, LookupIp(hp.host));
        for (const std::string& ip : ips) out.push_back(JoinHostPort(ip, hp.port));
        break;
      }
      case AddressKind::kDnsSrv:
      case AddressKind::kDnsSrvNoA: {
        ASSIGN_OR_RETURN(HostPort hp, SplitSrvName(address.name));
        ASSIGN_OR_RETURN(std::vector<SrvRecord> records, LookupSrv(hp.host));
        for (const SrvRecord& record : records) {
          if (record.target == ".") continue;  // RFC 2782: the service is not available there
          const uint16_t port = hp.port == 0 ? record.port : hp.port;
          if (address.kind == AddressKind::kDnsSrvNoA) {
            out.push_back(JoinHostPort(record.target, port));
            continue;
          }
          ASSIGN_OR_RETURN(std::vector<std::string> ips, LookupIp(record.target));
          for (const std::string& ip : ips) out.push_back(JoinHostPort(ip, port));
        }
        break;
      }
    }
    return out;
  }
};

}  // namespace

absl::StatusOr<EndpointAddress> ParseEndpointAddress(absl::string_view value) {
  auto invalid = [value](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("endpoint address \"", value, "\": ", why));
  };
  if (value.empty()) return invalid("empty");
  EndpointAddress address;
  absl::string_view name = value;
  if (size_t plus = value.find('+'); plus != absl::string_view::npos) {
    absl::string_view prefix = value.substr(0, plus);
    if (prefix == "dns") {
      address.kind = AddressKind::kDns;
    } else if (prefix == "dnssrv") {
      address.kind = AddressKind::kDnsSrv;
    } else if (prefix == "dnssrvnoa") {
      address.kind = AddressKind::kDnsSrvNoA;
    } else {
      return invalid(absl::StrCat("unknown lookup prefix \"", prefix,
                                  "+\" (want dns+, dnssrv+ or dnssrvnoa+)"));
    }
    name = value.substr(plus + 1);
  }
  if (name.empty()) return invalid("empty host");
  absl::Status valid = address.kind == AddressKind::kStatic || address.kind == AddressKind::kDns
                           ? SplitHostPort(name).status()
                           : SplitSrvName(name).status();
  if (!valid.ok()) return invalid(valid.message());
  address.name = std::string(name);
  return address;
}

absl::StatusOr<std::vector<SrvRecord>> ParseSrvAnswer(const unsigned char* msg, size_t len) {
  if (len > kMaxDnsMessage) {
    return absl::InvalidArgumentError(
        absl::StrCat("DNS message of ", len, " bytes: longer than ", kMaxDnsMessage));
  }
  if (msg == nullptr || len < NS_HFIXEDSZ) {
    return absl::DataLossError(absl::StrCat("DNS message of ", len, " bytes: shorter than its ",
                                            NS_HFIXEDSZ, "-byte header"));
  }
  ns_msg handle;
  if (ns_initparse(msg, static_cast<int>(len), &handle) != 0) {
    return absl::DataLossError(absl::StrCat("malformed DNS message of ", len,
                                            " bytes: its sections do not match its length"));
  }
  std::vector<SrvRecord> records;
  int count = ns_msg_count(handle, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr rr;
    if (ns_parserr(&handle, ns_s_an, i, &rr) != 0) {
      return absl::DataLossError(
          absl::StrCat("malformed DNS message: answer record ", i, " cannot be read"));
    }
    if (ns_rr_type(rr) != ns_t_srv || ns_rr_class(rr) != ns_c_in) continue;
    const unsigned char* rdata = ns_rr_rdata(rr);
    size_t rdlen = ns_rr_rdlen(rr);
    // Priority, weight and port (16 bits each), then the target: at least the root label.
    if (rdlen < 7) {
      return absl::DataLossError(absl::StrCat("malformed DNS message: SRV record ", i, " has ",
                                              rdlen, " bytes of data, want at least 7"));
    }
    auto u16 = [](const unsigned char* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); };
    SrvRecord record;
    record.priority = u16(rdata);
    record.weight = u16(rdata + 2);
    record.port = u16(rdata + 4);
    char target[NS_MAXDNAME];
    int used = dn_expand(msg, msg + len, rdata + 6, target, sizeof(target));
    if (used < 0 || static_cast<size_t>(used) != rdlen - 6) {
      return absl::DataLossError(
          absl::StrCat("malformed DNS message: SRV record ", i, " has an invalid target name"));
    }
    record.target = target[0] == '\0' ? "." : target;  // dn_expand writes the root as ""
    records.push_back(std::move(record));
  }
  return records;
}

std::unique_ptr<Resolver> NewSystemResolver() { return std::make_unique<SystemResolver>(); }

}  // namespace argus::query
