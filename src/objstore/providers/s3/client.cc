#include "objstore/providers/s3/client.h"

#include <thread>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "base/env.h"
#include "base/status.h"
#include "nlohmann/json.hpp"
#include "objstore/providers/s3/xml.h"

namespace argus::objstore::s3 {
namespace {

bool DnsCompatible(absl::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (char c : bucket) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-' && c != '.') return false;
  }
  return true;
}

// minio-go's choice for `auto`: virtual-hosted on AWS (and Aliyun), where path-style is
// deprecated, if the bucket name can be a host name; path-style everywhere else.
bool UseVirtualHosted(const S3Config& c) {
  switch (c.bucket_lookup_type) {
    case BucketLookup::kVirtualHosted:
      return true;
    case BucketLookup::kPath:
      return false;
    case BucketLookup::kAuto:
      break;
  }
  if (c.signature_version2) return false;
  const absl::string_view host = absl::string_view(c.endpoint).substr(0, c.endpoint.find(':'));
  const bool aws = absl::EndsWith(host, ".amazonaws.com") || absl::EndsWith(host, ".aliyuncs.com");
  // With TLS a dotted bucket name would not match the wildcard certificate.
  return aws && DnsCompatible(c.bucket) && (c.insecure || !absl::StrContains(c.bucket, '.'));
}

// The region: the configured one, else the one an AWS endpoint names
// (s3.<region>.amazonaws.com, s3-<region>.amazonaws.com), else us-east-1.
std::string RegionOf(const S3Config& c) {
  if (!c.region.empty()) return c.region;
  absl::string_view host = absl::string_view(c.endpoint).substr(0, c.endpoint.find(':'));
  if (absl::ConsumeSuffix(&host, ".amazonaws.com") &&
      (absl::ConsumePrefix(&host, "s3.") || absl::ConsumePrefix(&host, "s3-")) && !host.empty() &&
      host != "external-1" && !absl::StrContains(host, '.')) {
    return std::string(host);
  }
  return "us-east-1";
}

absl::Status ErrorOf(const Call& call, const HttpResponse& resp) {
  S3Error e;
  if (!ParseError(resp.body, &e)) e.code = absl::StrCat("HTTP ", resp.status);
  const std::string what = absl::StrCat(call.method, " ", call.key.empty() ? "(bucket)" : call.key,
                                        ": ", e.code, e.message.empty() ? "" : ": ", e.message);
  if (resp.status == 404) return absl::NotFoundError(what);
  if (resp.status == 416) return absl::OutOfRangeError(what);
  if (e.code == "SlowDown" || e.code == "RequestTimeout" || e.code == "InternalError" ||
      e.code == "ServiceUnavailable" || resp.status >= 500 || resp.status == 429) {
    return absl::UnavailableError(what);
  }
  if (resp.status == 403 || e.code == "ExpiredToken" || e.code == "InvalidAccessKeyId") {
    return absl::PermissionDeniedError(what);
  }
  return absl::FailedPreconditionError(what);
}

}  // namespace

bool IsTransient(const absl::Status& st) {
  return absl::IsUnavailable(st) || absl::IsDeadlineExceeded(st) || absl::IsDataLoss(st);
}

Client::Client(S3Config config, Credentials creds, std::unique_ptr<Transport> transport,
               ClientOptions options)
    : config_(std::move(config)),
      creds_(std::move(creds)),
      transport_(std::move(transport)),
      options_(std::move(options)),
      virtual_hosted_(UseVirtualHosted(config_)),
      region_(RegionOf(config_)) {}

std::string Client::Url(const Call& call, std::string* host, std::string* path) const {
  *host = virtual_hosted_ ? absl::StrCat(config_.bucket, ".", config_.endpoint) : config_.endpoint;
  *path = virtual_hosted_ ? "/" : absl::StrCat("/", config_.bucket, call.key.empty() ? "" : "/");
  absl::StrAppend(path, UriEncode(call.key, /*keep_slash=*/true));
  std::string url = absl::StrCat(config_.insecure ? "http://" : "https://", *host, *path);
  const char* sep = "?";
  for (const auto& [k, v] : call.query) {
    absl::StrAppend(&url, sep, UriEncode(k, false), "=", UriEncode(v, false));
    sep = "&";
  }
  return url;
}

HeaderList Client::SseHeaders(bool upload_start) const {
  HeaderList h;
  const SseConfig& sse = config_.sse_config;
  switch (sse.type) {
    case SseType::kNone:
      break;
    case SseType::kS3:
      if (upload_start) h.emplace_back("x-amz-server-side-encryption", "AES256");
      break;
    case SseType::kKms:
      if (!upload_start) break;
      h.emplace_back("x-amz-server-side-encryption", "aws:kms");
      h.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", sse.kms_key_id);
      if (!sse.kms_encryption_context.empty()) {
        nlohmann::json ctx(sse.kms_encryption_context);
        h.emplace_back("x-amz-server-side-encryption-context", absl::Base64Escape(ctx.dump()));
      }
      break;
    case SseType::kC:
      h.emplace_back("x-amz-server-side-encryption-customer-algorithm", "AES256");
      h.emplace_back("x-amz-server-side-encryption-customer-key", absl::Base64Escape(sse_c_key_));
      h.emplace_back("x-amz-server-side-encryption-customer-key-md5", Md5Base64(sse_c_key_));
      break;
  }
  return h;
}

absl::StatusOr<HttpResponse> Client::Once(const Call& call, const ByteSink* sink) {
  HttpRequest req;
  req.method = call.method;
  SignRequest sr;
  req.url = Url(call, &sr.host, &sr.path);
  req.body = call.body;
  req.range_start = call.range_start;
  req.headers = call.headers;
  req.headers.emplace_back("Host", sr.host);
  req.headers.emplace_back("User-Agent", "argus");
  if (!creds_.access_key.empty()) {
    sr.method = call.method;
    sr.query = call.query;
    sr.headers = call.headers;
    HeaderList auth;
    if (config_.signature_version2) {
      auth = SignV2(sr, creds_, absl::Now());
    } else {
      // Over TLS the body is protected in transit; hashing it would cost a pass over every
      // uploaded byte.
      sr.payload_sha256_hex = config_.insecure ? Sha256Hex(call.body) : "UNSIGNED-PAYLOAD";
      auth = SignV4(sr, creds_, region_, absl::Now());
    }
    req.headers.insert(req.headers.end(), auth.begin(), auth.end());
  }
  ASSIGN_OR_RETURN(HttpResponse resp, transport_->Do(req, sink));
  if (resp.status / 100 != 2) return ErrorOf(call, resp);
  S3Error e;
  // CompleteMultipartUpload may fail after its 200 header was sent: the body is an <Error>.
  if (call.method == "POST" && ParseError(resp.body, &e)) {
    HttpResponse as_error = resp;
    as_error.status = e.code == "InternalError" || e.code == "SlowDown" ? 500 : 400;
    return ErrorOf(call, as_error);
  }
  return resp;
}

absl::StatusOr<HttpResponse> Client::Do(const Call& call) {
  absl::StatusOr<HttpResponse> out;
  RETURN_IF_ERROR(Retry([&] {
    out = Once(call);
    return out.status();
  }));
  return out;
}

absl::Status Client::Retry(const std::function<absl::Status()>& attempt) {
  const int retries = config_.max_retries > 0 ? config_.max_retries : options_.default_max_retries;
  absl::BitGen gen;
  for (int i = 0;; ++i) {
    absl::Status st = attempt();
    if (st.ok() || !IsTransient(st) || i >= retries) return st;
    const absl::Duration cap =
        std::min(options_.max_backoff, options_.min_backoff * (int64_t{1} << std::min(i, 20)));
    absl::SleepFor(cap * absl::Uniform(gen, 0.0, 1.0));
  }
}

absl::StatusOr<std::unique_ptr<Client>> NewClient(const S3Config& config,
                                                  const ClientOptions& options) {
  ASSIGN_OR_RETURN(Credentials creds, ResolveCredentials(config, options.getenv));
  ASSIGN_OR_RETURN(std::unique_ptr<Transport> transport, Transport::New(config.http_config));
  auto client = std::make_unique<Client>(config, std::move(creds), std::move(transport), options);
  if (config.sse_config.type == SseType::kC) {
    absl::StatusOr<std::string> key =
        Env::Default()->ReadFile(config.sse_config.encryption_key_file);
    if (!key.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("s3 sse_config.encryption_key: cannot read ",
                                                     config.sse_config.encryption_key_file));
    }
    if (key->size() != 32) {
      return absl::InvalidArgumentError(
          absl::StrCat("s3 sse_config.encryption_key: ", config.sse_config.encryption_key_file,
                       " must hold exactly 32 bytes"));
    }
    client->sse_c_key_ = *std::move(key);
  }
  return client;
}

}  // namespace argus::objstore::s3
