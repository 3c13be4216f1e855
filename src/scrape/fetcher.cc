#include "scrape/fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/buildinfo.h"
#include "base/check.h"

namespace argus::scrape {
namespace {

// libcurl's CURLOPT_SSLVERSION bits for a Prometheus TLS version name ("" leaves the default).
long TlsVersion(const std::string& v, bool max) {
  struct {
    const char* name;
    long min, max;
  } const kVersions[] = {{"TLS10", CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_0},
                         {"TLS11", CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_1},
                         {"TLS12", CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2},
                         {"TLS13", CURL_SSLVERSION_TLSv1_3, CURL_SSLVERSION_MAX_TLSv1_3}};
  for (const auto& k : kVersions) {
    if (v == k.name) return max ? k.max : k.min;
  }
  if (max) return CURL_SSLVERSION_MAX_DEFAULT;
  return CURL_SSLVERSION_DEFAULT;
}

constexpr char kAccept[] =
    "Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
    "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

}  // namespace

struct Fetcher::Transfer {
  FetchRequest req;
  std::function<void(FetchResult)> done;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  std::string status_line;  // of the last response (redirects have several)
  bool too_big = false;
  char error[CURL_ERROR_SIZE] = {0};

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    const size_t len = size * n;
    if (t->req.body_size_limit > 0 && t->body.size() + len > t->req.body_size_limit) {
      t->too_big = true;
      return 0;  // aborts the transfer
    }
    t->body.append(data, len);
    return len;
  }

  static size_t OnHeader(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    const absl::string_view line(data, size * n);
    if (absl::StartsWith(line, "HTTP/")) {
      t->status_line = std::string(absl::StripTrailingAsciiWhitespace(line));
    }
    return size * n;
  }

  void Setup() {
    // A little over the last body, so the usual one is received without reallocating.
    body.reserve(req.body_size_hint + req.body_size_hint / 16);
    easy = curl_easy_init();
    ARGUS_CHECK(easy != nullptr, "curl_easy_init failed");
    headers = curl_slist_append(headers, kAccept);
    headers = curl_slist_append(headers, absl::StrCat("X-Prometheus-Scrape-Timeout-Seconds: ",
                                                      absl::ToDoubleSeconds(req.timeout))
                                             .c_str());
    for (const std::string& h : req.headers) headers = curl_slist_append(headers, h.c_str());
    const std::string agent = absl::StrCat("Argus/", GetBuildInfo().version);
    curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, agent.c_str());  // copied by curl
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(
        easy, CURLOPT_TIMEOUT_MS,
        static_cast<long>(absl::ToInt64Milliseconds(std::max(req.timeout, absl::Milliseconds(1)))));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 128L * 1024);  // fewer, larger reads
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_PROXY, req.proxy_url.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
    if (req.basic_auth.has_value()) {
      curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(easy, CURLOPT_USERNAME, req.basic_auth->first.c_str());
      curl_easy_setopt(easy, CURLOPT_PASSWORD, req.basic_auth->second.c_str());
    }
    if (!req.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, req.ca_file.c_str());
    if (!req.cert_file.empty()) curl_easy_setopt(easy, CURLOPT_SSLCERT, req.cert_file.c_str());
    if (!req.key_file.empty()) curl_easy_setopt(easy, CURLOPT_SSLKEY, req.key_file.c_str());
    if (!req.tls_min_version.empty() || !req.tls_max_version.empty()) {
      curl_easy_setopt(
          easy, CURLOPT_SSLVERSION,
          TlsVersion(req.tls_min_version, false) | TlsVersion(req.tls_max_version, true));
    }
    if (req.insecure_skip_verify) {
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }

  FetchResult Result(CURLcode code) {
    FetchResult r;
    if (code == CURLE_OK) {
      long http = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &http);
      if (http != 200) {
        // "HTTP/1.1 404 Not Found" -> "404 Not Found", as Go's resp.Status.
        const size_t sp = status_line.find(' ');
        r.status = absl::UnavailableError(absl::StrCat(
            "server returned HTTP status ",
            sp == std::string::npos ? absl::StrCat(http) : status_line.substr(sp + 1)));
        return r;
      }
      const char* ct = nullptr;
      curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &ct);
      if (ct != nullptr) r.content_type = ct;
      r.body = std::move(body);
      return r;
    }
    if (code == CURLE_WRITE_ERROR && too_big) {
      r.status = absl::ResourceExhaustedError("body size limit exceeded");
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      r.status = absl::DeadlineExceededError("context deadline exceeded");
    } else {
      r.status = absl::UnavailableError(absl::StrCat(
          "Get \"", req.url, "\": ", error[0] != 0 ? error : curl_easy_strerror(code)));
    }
    return r;
  }
};

Fetcher::Fetcher() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  multi_ = curl_multi_init();
  ARGUS_CHECK(multi_ != nullptr, "curl_multi_init failed");
  // Keep-alive as Prometheus's HTTP client: finished transfers leave their connection in the
  // multi handle's cache for the target's next scrape (least recently used closed first).
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 4096L);
  thread_ = std::thread([this] { Run(); });
}

Fetcher::~Fetcher() {
  {
    std::lock_guard l(mu_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  thread_.join();
  curl_multi_cleanup(multi_);
}

void Fetcher::Fetch(FetchRequest request, std::function<void(FetchResult)> done) {
  auto t = std::make_unique<Transfer>();
  t->req = std::move(request);
  t->done = std::move(done);
  {
    std::lock_guard l(mu_);
    queued_.push_back(std::move(t));
  }
  curl_multi_wakeup(multi_);
}

void Fetcher::Finish(Transfer* t, int curl_code) {
  curl_multi_remove_handle(multi_, t->easy);
  FetchResult r = t->Result(static_cast<CURLcode>(curl_code));
  t->done(std::move(r));
  running_.erase(
      std::find_if(running_.begin(), running_.end(), [t](const auto& p) { return p.get() == t; }));
}

void Fetcher::Run() {
  for (;;) {
    {
      std::lock_guard l(mu_);
      if (stopping_) break;
      while (!queued_.empty()) {
        std::unique_ptr<Transfer> t = std::move(queued_.front());
        queued_.pop_front();
        t->Setup();
        curl_multi_add_handle(multi_, t->easy);
        running_.push_back(std::move(t));
      }
    }
    int still = 0;
    curl_multi_perform(multi_, &still);
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &t);
      Finish(t, m->data.result);
    }
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
  std::deque<std::unique_ptr<Transfer>> queued;
  {
    std::lock_guard l(mu_);
    queued.swap(queued_);
  }
  for (auto& t : running_) {
    curl_multi_remove_handle(multi_, t->easy);
    t->done(FetchResult{absl::CancelledError("scrape cancelled"), "", ""});
  }
  running_.clear();
  for (auto& t : queued) t->done(FetchResult{absl::CancelledError("scrape cancelled"), "", ""});
}

}  // namespace argus::scrape
