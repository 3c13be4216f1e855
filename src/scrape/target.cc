#include "scrape/target.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "base/go_strconv.h"
#include "base/status.h"
#include "base/units.h"
#include "model/relabel/relabel.h"
#include "scrape/sample_labels.h"

namespace argus::scrape {
namespace {

constexpr absl::string_view kAddress = "__address__";
constexpr absl::string_view kScheme = "__scheme__";
constexpr absl::string_view kMetricsPath = "__metrics_path__";
constexpr absl::string_view kInterval = "__scrape_interval__";
constexpr absl::string_view kTimeout = "__scrape_timeout__";
constexpr absl::string_view kParamPrefix = "__param_";
constexpr absl::string_view kMetaPrefix = "__meta_";

// Go's net.SplitHostPort succeeds on `s`: "host:port" with a bracketed host when it holds
// colons, and no stray brackets.
bool SplitsAsHostPort(absl::string_view s) {
  const size_t last = s.rfind(':');
  if (last == absl::string_view::npos) return false;  // missing port
  size_t j = 0, k = 0;
  if (!s.empty() && s[0] == '[') {
    const size_t end = s.find(']');
    if (end == absl::string_view::npos) return false;  // missing ']'
    if (end + 1 == s.size()) return false;             // missing port
    if (end + 1 != last) return false;                 // too many colons or missing port
    if (s.substr(1, end - 1).find_first_of("[]") != absl::string_view::npos) return false;
    j = 1;
    k = end + 1;
  } else if (s.substr(0, last).find(':') != absl::string_view::npos) {
    return false;  // too many colons
  }
  return s.find('[', j) == absl::string_view::npos && s.find(']', k) == absl::string_view::npos;
}

// Go's url escaping: bytes that are alphanumeric or in `keep` stay, ' ' becomes '+' when
// `space_plus` (query escaping), everything else %XX.
void AppendUrlEscaped(absl::string_view s, absl::string_view keep, bool space_plus,
                      std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || keep.find(static_cast<char>(c)) != absl::string_view::npos) {
      out->push_back(static_cast<char>(c));
    } else if (c == ' ' && space_plus) {
      out->push_back('+');
    } else {
      out->push_back('%');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    }
  }
}
// url.QueryEscape, and the escaping of a url.URL's path.
void AppendQueryEscaped(absl::string_view s, std::string* out) {
  AppendUrlEscaped(s, "-_.~", true, out);
}
void AppendPathEscaped(absl::string_view s, std::string* out) {
  AppendUrlEscaped(s, "-_.~$&+,/:;=@", false, out);
}

// The HTTP client settings of `cfg` on `req`. Errors: a credentials file that cannot be read.
absl::Status ApplyHTTPClient(const config::HTTPClientConfig& http, FetchRequest* req) {
  ASSIGN_OR_RETURN(config::HTTPCredentials creds, config::ReadCredentials(http));
  req->basic_auth = std::move(creds.basic_auth);
  if (!creds.authorization_header.empty()) {
    req->headers.push_back(std::move(creds.authorization_header));
  }
  if (http.oauth2) {
    return absl::UnimplementedError("oauth2 is not supported by Argus's scraper yet");
  }
  req->ca_file = http.tls_config.ca_file;
  req->cert_file = http.tls_config.cert_file;
  req->key_file = http.tls_config.key_file;
  req->insecure_skip_verify = http.tls_config.insecure_skip_verify;
  req->tls_min_version = http.tls_config.min_version;
  req->tls_max_version = http.tls_config.max_version;
  if (!http.tls_config.server_name.empty()) {
    return absl::UnimplementedError(
        "tls_config.server_name is not supported by Argus's scraper yet");
  }
  if (!http.proxy_connect_header.empty()) {
    return absl::UnimplementedError("proxy_connect_header is not supported by Argus's scraper yet");
  }
  req->proxy_url = http.proxy_url;
  req->follow_redirects = http.follow_redirects;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PopulatedLabels> PopulateLabels(const labels::Labels& lset,
                                               const config::ScrapeConfig& cfg) {
  std::vector<labels::Label> b(lset.begin(), lset.end());
  const auto set = [&b](absl::string_view name, std::string value) {
    for (labels::Label& l : b) {
      if (l.name == name) {
        l.value = std::move(value);
        return;
      }
    }
    b.push_back({std::string(name), std::move(value)});
  };
  const std::pair<absl::string_view, std::string> defaults[] = {
      {"job", cfg.job_name},
      {kInterval, FormatPromDuration(cfg.scrape_interval_ms)},
      {kTimeout, FormatPromDuration(cfg.scrape_timeout_ms)},
      {kMetricsPath, cfg.metrics_path},
      {kScheme, cfg.scheme}};
  for (const auto& [name, value] : defaults) {
    if (lset.Get(name).empty()) set(name, value);
  }
  for (const auto& [name, values] : cfg.params) {
    if (!values.empty()) set(absl::StrCat(kParamPrefix, name), values.front());
  }
  PopulatedLabels out;
  out.discovered = labels::Labels::FromUnsorted(std::move(b));
  std::optional<labels::Labels> relabeled = relabel::Process(out.discovered, cfg.relabel_configs);
  if (!relabeled.has_value()) return out;  // dropped
  const labels::Labels& r = *relabeled;

  std::string addr(r.Get(kAddress));
  if (addr.empty()) return absl::InvalidArgumentError("no address");
  std::vector<labels::Label> res;
  bool address_changed = false;
  if (!SplitsAsHostPort(addr) && SplitsAsHostPort(absl::StrCat(addr, ":1234"))) {
    const absl::string_view scheme = r.Get(kScheme);
    if (scheme == "http" || scheme.empty()) {
      absl::StrAppend(&addr, ":80");
    } else if (scheme == "https") {
      absl::StrAppend(&addr, ":443");
    } else {
      return absl::InvalidArgumentError(absl::StrCat("invalid scheme: ", GoQuote(cfg.scheme)));
    }
    address_changed = true;
  }
  if (absl::StrContains(addr, '/')) {
    return absl::InvalidArgumentError(absl::StrCat(GoQuote(addr), " is not a valid hostname"));
  }
  const absl::string_view interval = r.Get(kInterval), timeout = r.Get(kTimeout);
  absl::StatusOr<int64_t> interval_ms = ParsePromDuration(interval);
  if (!interval_ms.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("error parsing scrape interval: ", interval_ms.status().message()));
  }
  if (*interval_ms == 0) return absl::InvalidArgumentError("scrape interval cannot be 0");
  absl::StatusOr<int64_t> timeout_ms = ParsePromDuration(timeout);
  if (!timeout_ms.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("error parsing scrape timeout: ", timeout_ms.status().message()));
  }
  if (*timeout_ms == 0) return absl::InvalidArgumentError("scrape timeout cannot be 0");
  if (*timeout_ms > *interval_ms) {
    return absl::InvalidArgumentError(
        absl::StrCat("scrape timeout cannot be greater than scrape interval (", GoQuote(timeout),
                     " > ", GoQuote(interval), ")"));
  }
  for (const labels::Label& l : r) {
    if (absl::StartsWith(l.name, kMetaPrefix)) continue;
    res.push_back(l.name == kAddress && address_changed ? labels::Label{l.name, addr} : l);
  }
  if (r.Get("instance").empty()) res.push_back({"instance", addr});
  for (const labels::Label& l : res) {
    if (!ValidUtf8(l.value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid label value for ", GoQuote(l.name), ": ", GoQuote(l.value)));
    }
  }
  out.labels = labels::Labels::FromUnsorted(std::move(res));
  return out;
}

labels::Labels PublicLabels(const labels::Labels& populated) {
  std::vector<labels::Label> out;
  for (const labels::Label& l : populated) {
    if (!absl::StartsWith(l.name, "__")) out.push_back(l);
  }
  return labels::Labels::FromSorted(std::move(out));
}

std::string TargetURL(const labels::Labels& populated,
                      const std::map<std::string, std::vector<std::string>>& params) {
  std::map<std::string, std::vector<std::string>> query = params;
  for (const labels::Label& l : populated) {
    if (!absl::StartsWith(l.name, kParamPrefix)) continue;
    std::vector<std::string>& values = query[l.name.substr(kParamPrefix.size())];
    if (values.empty()) {
      values.push_back(l.value);
    } else {
      values.front() = l.value;
    }
  }
  std::string url = absl::StrCat(populated.Get(kScheme), "://", populated.Get(kAddress));
  const absl::string_view path = populated.Get(kMetricsPath);
  if (!path.empty() && path.front() != '/') url.push_back('/');
  AppendPathEscaped(path, &url);
  char sep = '?';
  for (const auto& [key, values] : query) {
    for (const std::string& v : values) {
      url.push_back(sep);
      sep = '&';
      AppendQueryEscaped(key, &url);
      url.push_back('=');
      AppendQueryEscaped(v, &url);
    }
  }
  return url;
}

TargetSpec MakeTargetSpec(const labels::Labels& populated, const labels::Labels& discovered,
                          const config::ScrapeConfig& cfg) {
  TargetSpec t;
  t.pool = cfg.job_name;
  t.labels = PublicLabels(populated);
  t.discovered = discovered;
  t.interval = absl::Milliseconds(ParsePromDuration(populated.Get(kInterval)).value_or(0));
  t.request.url = TargetURL(populated, cfg.params);
  t.request.timeout = absl::Milliseconds(ParsePromDuration(populated.Get(kTimeout)).value_or(0));
  t.request.body_size_limit = static_cast<uint64_t>(cfg.body_size_limit_bytes);
  t.forced_error = ApplyHTTPClient(cfg.http_client, &t.request);
  t.append.honor_timestamps = cfg.honor_timestamps;
  t.append.sample_limit = cfg.sample_limit;
  t.append.label_limit = cfg.label_limit;
  t.append.label_name_length_limit = cfg.label_name_length_limit;
  t.append.label_value_length_limit = cfg.label_value_length_limit;
  t.append.mutate = [target = t.labels, honor = cfg.honor_labels,
                     rules = cfg.metric_relabel_configs](
                        const labels::Labels& exposed) -> std::optional<labels::Labels> {
    labels::Labels merged = MergeTargetLabels(exposed, target, honor);
    if (rules.empty()) return merged;
    return relabel::Process(merged, rules);
  };
  return t;
}

}  // namespace argus::scrape
