#include "query/endpoint_set.h"

#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "base/parallel.h"
#include "base/status.h"

namespace argus::query {
namespace {

// Info calls made at once: they wait on the network.
constexpr size_t kParallelInfo = 16;

// Go's time.Time JSON: RFC 3339 with the fraction's trailing zeros cut.
std::string GoTime(absl::Time t) {
  if (t == absl::UnixEpoch()) return "0001-01-01T00:00:00Z";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

std::string LabelSetsString(const std::vector<labels::Labels>& sets) {
  std::string out;
  for (const labels::Labels& l : sets) absl::StrAppend(&out, out.empty() ? "" : ",", l.ToString());
  return out;
}

}  // namespace

Endpoint::Endpoint(std::string address, bool strict, std::shared_ptr<grpc::Channel> channel)
    : client_(address, std::move(channel)), strict_(strict) {
  status_.address = std::move(address);
  status_.strict = strict;
}

storeapi::EndpointInfo Endpoint::info() const {
  std::lock_guard<std::mutex> l(mu_);
  if (status_.info) return *status_.info;
  storeapi::EndpointInfo all;
  all.has_store_api = true;
  all.min_time = std::numeric_limits<int64_t>::min();
  all.max_time = std::numeric_limits<int64_t>::max();
  return all;
}

EndpointStatus Endpoint::status() const {
  std::lock_guard<std::mutex> l(mu_);
  return status_;
}

bool Endpoint::queryable() const {
  std::lock_guard<std::mutex> l(mu_);
  return strict_ || (status_.info.has_value() && status_.last_error.empty());
}

void Endpoint::Update(const absl::StatusOr<storeapi::EndpointInfo>& info, absl::Time now) {
  std::lock_guard<std::mutex> l(mu_);
  if (info.ok()) {
    status_.info = *info;
    status_.last_check = now;
    status_.last_error.clear();
  } else {
    status_.last_error = std::string(info.status().message());
    if (status_.last_error.empty()) status_.last_error = info.status().ToString();
  }
}

EndpointSet::EndpointSet(EndpointSetOptions opts, std::unique_ptr<Resolver> resolver,
                         std::shared_ptr<grpc::ChannelCredentials> creds)
    : opts_(std::move(opts)), resolver_(std::move(resolver)), creds_(std::move(creds)) {}

absl::StatusOr<std::unique_ptr<EndpointSet>> EndpointSet::Create(EndpointSetOptions opts,
                                                                 std::unique_ptr<Resolver> resolver,
                                                                 metrics::Registry* registry) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> creds,
                   storeapi::ClientCredentials(opts.tls));
  std::unique_ptr<EndpointSet> set(new EndpointSet(opts, std::move(resolver), std::move(creds)));
  for (const auto& [list, strict] :
       {std::pair{&opts.endpoints, false}, std::pair{&opts.strict_endpoints, true}}) {
    for (const std::string& a : *list) {
      ASSIGN_OR_RETURN(EndpointAddress parsed, ParseEndpointAddress(a));
      set->specs_.push_back({std::move(parsed), strict, {}});
    }
  }
  EndpointSet* raw = set.get();
  registry->AddCollector([raw](std::vector<metrics::FamilySnapshot>* out) {
    std::map<std::pair<std::string, std::string>, int> count;
    for (const std::shared_ptr<Endpoint>& e : raw->Queryable()) {
      const storeapi::EndpointInfo info = e->info();
      ++count[{LabelSetsString(info.label_sets), info.component_type}];
    }
    metrics::FamilySnapshot f{"thanos_store_nodes_grpc_connections",
                              "Number of gRPC connection to Store APIs. Opened connection means "
                              "healthy store APIs available for Querier.",
                              metrics::MetricType::kGauge,
                              {}};
    for (const auto& [key, n] : count) {
      f.samples.push_back({f.name,
                           {{"external_labels", key.first}, {"store_type", key.second}},
                           static_cast<double>(n)});
    }
    out->push_back(std::move(f));
  });
  return set;
}

EndpointSet::~EndpointSet() {
  {
    std::lock_guard<std::mutex> l(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::map<std::string, bool> EndpointSet::Addresses() {
  const absl::Time now = absl::Now();
  const bool resolve = now - resolved_at_ >= opts_.dns_interval;
  if (resolve) resolved_at_ = now;
  std::map<std::string, bool> out;
  for (Spec& spec : specs_) {
    if (resolve || spec.resolved.empty()) {
      absl::StatusOr<std::vector<std::string>> got = resolver_->Resolve(spec.address);
      if (got.ok()) {
        spec.resolved = *std::move(got);
      } else {
        log::Warn("resolving endpoint address failed; keeping the last addresses",
                  {{"address", spec.address.name}, {"err", got.status()}});
      }
    }
    for (const std::string& a : spec.resolved) out[a] = out[a] || spec.strict;
  }
  return out;
}

void EndpointSet::Update() {
  const std::map<std::string, bool> addresses = Addresses();
  std::vector<std::shared_ptr<Endpoint>> work;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& [address, strict] : addresses) {
      auto it = endpoints_.find(address);
      if (it != endpoints_.end() && it->second->strict() == strict) {
        work.push_back(it->second);
        continue;
      }
      work.push_back(std::make_shared<Endpoint>(
          address, strict, storeapi::Dial(address, creds_, opts_.tls.server_name)));
    }
  }
  ParallelFor(work.size(), kParallelInfo, [&](size_t i) {
    absl::StatusOr<storeapi::EndpointInfo> info =
        work[i]->client().Info(absl::Now() + opts_.info_timeout);
    if (!info.ok()) {
      log::Warn("update of endpoint failed", {{"err", Annotate(info.status(), "getting metadata")},
                                              {"address", work[i]->address()}});
    }
    work[i]->Update(info, absl::Now());
  });

  const absl::Time now = absl::Now();
  std::lock_guard<std::mutex> l(mu_);
  std::map<std::string, std::shared_ptr<Endpoint>> next;
  for (std::shared_ptr<Endpoint>& e : work) {
    const bool known = endpoints_.count(e->address()) > 0;
    const EndpointStatus st = e->status();
    if (!known && !e->queryable()) continue;  // joins once it answers
    if (!e->strict() && now - e->created() >= opts_.unhealthy_timeout &&
        now - st.last_check >= opts_.unhealthy_timeout) {
      log::Info("removing endpoint because it's unhealthy or does not exist",
                {{"address", e->address()}});
      continue;
    }
    if (!known) {
      log::Info(absl::StrCat("adding new ", st.info ? st.info->component_type : "store"),
                {{"address", e->address()},
                 {"extLset", st.info ? LabelSetsString(st.info->label_sets) : ""}});
    }
    next[e->address()] = std::move(e);
  }
  endpoints_ = std::move(next);
  ready_ = true;
}

void EndpointSet::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      Update();
      std::unique_lock<std::mutex> l(stop_mu_);
      if (stop_cv_.wait_for(l, absl::ToChronoMilliseconds(opts_.info_interval),
                            [this] { return stop_; })) {
        return;
      }
    }
  });
}

bool EndpointSet::ready() const {
  std::lock_guard<std::mutex> l(mu_);
  return ready_;
}

std::vector<std::shared_ptr<Endpoint>> EndpointSet::Queryable() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<std::shared_ptr<Endpoint>> out;
  for (const auto& [address, e] : endpoints_) {
    if (e->queryable()) out.push_back(e);
  }
  return out;
}

std::vector<EndpointStatus> EndpointSet::Statuses() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<EndpointStatus> out;
  for (const auto& [address, e] : endpoints_) out.push_back(e->status());
  return out;
}

nlohmann::json StoresJson(const std::vector<EndpointStatus>& statuses) {
  nlohmann::json data = nlohmann::json::object();
  for (const EndpointStatus& s : statuses) {
    if (!s.info || s.info->component_type.empty()) continue;
    nlohmann::json sets = nlohmann::json::array();
    for (const labels::Labels& set : s.info->label_sets) {
      nlohmann::json obj = nlohmann::json::object();
      for (const labels::Label& l : set) obj[l.name] = l.value;
      sets.push_back(std::move(obj));
    }
    data[s.info->component_type].push_back({
        {"name", s.address},
        {"lastCheck", GoTime(s.last_check)},
        {"lastError",
         s.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.last_error)},
        {"labelSets", std::move(sets)},
        {"minTime", s.info->min_time},
        {"maxTime", s.info->max_time},
    });
  }
  return data;
}

}  // namespace argus::query
