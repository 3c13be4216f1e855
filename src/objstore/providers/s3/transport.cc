#include "objstore/providers/s3/transport.h"

#include <curl/curl.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace argus::objstore::s3 {
namespace {

// What one transfer's callbacks share.
struct Transfer {
  CURL* curl;
  absl::string_view body;  // left to send
  int64_t range_start;
  const ByteSink* sink;
  HttpResponse resp;
  absl::Status sink_error;
};

size_t ReadBody(char* buf, size_t size, size_t n, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  const size_t k = std::min(size * n, t->body.size());
  memcpy(buf, t->body.data(), k);
  t->body.remove_prefix(k);
  return k;
}

size_t WriteBody(char* data, size_t size, size_t n, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  absl::string_view piece(data, size * n);
  const size_t got = piece.size();
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->sink == nullptr || status / 100 != 2) {
    t->resp.body.append(piece.data(), piece.size());
    return got;
  }
  if (status == 200 && t->resp.received < t->range_start) {
    piece.remove_prefix(std::min<int64_t>(piece.size(), t->range_start - t->resp.received));
  }
  t->resp.received += got;
  if (piece.empty()) return got;
  t->sink_error = (*t->sink)(piece);
  if (!t->sink_error.ok()) return 0;  // aborts the transfer
  t->resp.delivered += piece.size();
  return got;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  const absl::string_view line(data, size * n);
  if (absl::StartsWith(line, "HTTP/")) {
    t->resp.headers.clear();  // a new response (after 100 Continue or a redirect)
  } else if (size_t colon = line.find(':'); colon != absl::string_view::npos) {
    t->resp.headers[absl::AsciiStrToLower(line.substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
  }
  return line.size();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> Transport::New(const HttpConfig& config) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return absl::InternalError("curl_global_init failed");
  const TlsConfig& tls = config.tls_config;
  for (const std::string* f : {&tls.ca_file, &tls.cert_file, &tls.key_file}) {
    if (!f->empty() && access(f->c_str(), R_OK) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("s3 http_config.tls_config: cannot read ", *f));
    }
  }
  return std::unique_ptr<Transport>(new Transport(config));
}

Transport::~Transport() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* Transport::Acquire() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void Transport::Release(void* handle) {
  std::lock_guard<std::mutex> l(mu_);
  if (static_cast<int64_t>(idle_.size()) < config_.max_idle_conns_per_host) {
    idle_.push_back(handle);
  } else {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

absl::StatusOr<HttpResponse> Transport::Do(const HttpRequest& req, const ByteSink* sink) {
  CURL* curl = static_cast<CURL*>(Acquire());
  if (curl == nullptr) return absl::ResourceExhaustedError("curl_easy_init failed");
  curl_easy_reset(curl);
  Transfer t{curl, req.body, req.range_start, sink, {}, absl::OkStatus()};
  curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  // Connecting and the TLS handshake; then a stall (no byte either way) for as long as a
  // response header may take ends the transfer.
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(config_.tls_handshake_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                   std::max(1L, static_cast<long>(config_.response_header_timeout_ms / 1000)));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  const TlsConfig& tls = config_.tls_config;
  if (config_.insecure_skip_verify || tls.insecure_skip_verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!tls.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.cert_file.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.key_file.c_str());
  }

  curl_slist* headers = curl_slist_append(nullptr, "Expect:");  // no 100-continue round trip
  for (const auto& [k, v] : req.headers) {
    headers = curl_slist_append(headers, absl::StrCat(k, ": ", v).c_str());
  }
  if (req.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (req.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  } else if (req.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  } else if (req.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &t.resp.status);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    curl_easy_cleanup(curl);  // its connection may be half-used: never reuse it
    if (!t.sink_error.ok()) return t.sink_error;
    const std::string what = absl::StrCat(req.method, " ", req.url, ": ", curl_easy_strerror(rc));
    // A certificate that does not verify will not verify on retry either.
    if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
        rc == CURLE_SSL_CERTPROBLEM) {
      return absl::FailedPreconditionError(what);
    }
    return absl::UnavailableError(what);
  }
  Release(curl);
  return std::move(t.resp);
}

}  // namespace argus::objstore::s3
