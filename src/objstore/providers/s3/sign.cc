#include "objstore/providers/s3/sign.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace argus::objstore::s3 {
namespace {

std::string Digest(const EVP_MD* md, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out, &n, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string Hmac(const EVP_MD* md, absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

// Trimmed, with inner runs of spaces collapsed to one (SigV4's canonical header value).
std::string CanonicalValue(absl::string_view v) {
  v = absl::StripAsciiWhitespace(v);
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Whether SigV4 signs the header `lower` (a lowercase name).
bool SignedV4(absl::string_view lower) {
  return lower == "host" || lower == "content-type" || lower == "content-md5" || lower == "range" ||
         lower == "date" || absl::StartsWith(lower, "x-amz-");
}

// The sub-resources SigV2 includes in the canonical resource.
bool SubResource(absl::string_view k) {
  static constexpr absl::string_view kNames[] = {"acl",
                                                 "cors",
                                                 "delete",
                                                 "lifecycle",
                                                 "location",
                                                 "logging",
                                                 "notification",
                                                 "partNumber",
                                                 "policy",
                                                 "requestPayment",
                                                 "response-cache-control",
                                                 "response-content-disposition",
                                                 "response-content-encoding",
                                                 "response-content-language",
                                                 "response-content-type",
                                                 "response-expires",
                                                 "tagging",
                                                 "torrent",
                                                 "uploadId",
                                                 "uploads",
                                                 "versionId",
                                                 "versioning",
                                                 "versions",
                                                 "website"};
  return std::find(std::begin(kNames), std::end(kNames), k) != std::end(kNames);
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  return absl::BytesToHexString(Digest(EVP_sha256(), data));
}

std::string Md5Base64(absl::string_view data) {
  return absl::Base64Escape(Digest(EVP_md5(), data));
}

std::string UriEncode(absl::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (c == '/' && keep_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

HeaderList SignV4(const SignRequest& req, const Credentials& creds, absl::string_view region,
                  absl::Time now) {
  if (region.empty()) region = "us-east-1";
  const std::string amz_date = absl::FormatTime("%Y%m%dT%H%M%SZ", now, absl::UTCTimeZone());
  const std::string day = amz_date.substr(0, 8);
  HeaderList added = {{"x-amz-date", amz_date}, {"x-amz-content-sha256", req.payload_sha256_hex}};
  if (!creds.session_token.empty()) {
    added.emplace_back("x-amz-security-token", creds.session_token);
  }
  // Canonical headers: lowercase names, sorted; repeated names joined by commas.
  std::vector<std::pair<std::string, std::string>> headers = {{"host", req.host}};
  for (const HeaderList* list : {&req.headers, static_cast<const HeaderList*>(&added)}) {
    for (const auto& [k, v] : *list) {
      std::string lower = absl::AsciiStrToLower(k);
      if (SignedV4(lower) && lower != "host") headers.emplace_back(std::move(lower), v);
    }
  }
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string canonical_headers, signed_headers;
  for (size_t i = 0; i < headers.size(); ++i) {
    const bool repeat = i > 0 && headers[i].first == headers[i - 1].first;
    if (repeat) {
      canonical_headers.pop_back();  // the newline
      absl::StrAppend(&canonical_headers, ",", CanonicalValue(headers[i].second), "\n");
      continue;
    }
    absl::StrAppend(&canonical_headers, headers[i].first, ":", CanonicalValue(headers[i].second),
                    "\n");
    absl::StrAppend(&signed_headers, signed_headers.empty() ? "" : ";", headers[i].first);
  }
  std::vector<std::string> query;
  for (const auto& [k, v] : req.query) {
    query.push_back(absl::StrCat(UriEncode(k, false), "=", UriEncode(v, false)));
  }
  std::sort(query.begin(), query.end());
  const std::string canonical_request =
      absl::StrCat(req.method, "\n", req.path, "\n", absl::StrJoin(query, "&"), "\n",
                   canonical_headers, "\n", signed_headers, "\n", req.payload_sha256_hex);
  const std::string scope = absl::StrCat(day, "/", region, "/s3/aws4_request");
  const std::string string_to_sign =
      absl::StrCat("AWS4-HMAC-SHA256\n", amz_date, "\n", scope, "\n", Sha256Hex(canonical_request));
  std::string key = Hmac(EVP_sha256(), absl::StrCat("AWS4", creds.secret_key), day);
  key = Hmac(EVP_sha256(), key, region);
  key = Hmac(EVP_sha256(), key, "s3");
  key = Hmac(EVP_sha256(), key, "aws4_request");
  const std::string signature = absl::BytesToHexString(Hmac(EVP_sha256(), key, string_to_sign));
  added.emplace_back("Authorization",
                     absl::StrCat("AWS4-HMAC-SHA256 Credential=", creds.access_key, "/", scope,
                                  ",SignedHeaders=", signed_headers, ",Signature=", signature));
  return added;
}

HeaderList SignV2(const SignRequest& req, const Credentials& creds, absl::Time now) {
  // The time goes in x-amz-date, which S3 signs among the x-amz-* headers and which leaves
  // the Date line of the string to sign empty.
  HeaderList added = {
      {"x-amz-date", absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", now, absl::UTCTimeZone())}};
  if (!creds.session_token.empty()) {
    added.emplace_back("x-amz-security-token", creds.session_token);
  }
  std::string md5, type;
  std::vector<std::pair<std::string, std::string>> amz;
  for (const HeaderList* list : {&req.headers, static_cast<const HeaderList*>(&added)}) {
    for (const auto& [k, v] : *list) {
      const std::string lower = absl::AsciiStrToLower(k);
      if (lower == "content-md5") md5 = v;
      if (lower == "content-type") type = v;
      if (absl::StartsWith(lower, "x-amz-")) amz.emplace_back(lower, CanonicalValue(v));
    }
  }
  std::stable_sort(amz.begin(), amz.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string string_to_sign = absl::StrCat(req.method, "\n", md5, "\n", type, "\n\n");
  for (size_t i = 0; i < amz.size(); ++i) {
    if (i > 0 && amz[i].first == amz[i - 1].first) {
      string_to_sign.pop_back();
      absl::StrAppend(&string_to_sign, ",", amz[i].second, "\n");
    } else {
      absl::StrAppend(&string_to_sign, amz[i].first, ":", amz[i].second, "\n");
    }
  }
  std::vector<std::pair<std::string, std::string>> sub;
  for (const auto& [k, v] : req.query) {
    if (SubResource(k)) sub.emplace_back(k, v);
  }
  std::sort(sub.begin(), sub.end());
  string_to_sign += req.path;
  for (size_t i = 0; i < sub.size(); ++i) {
    absl::StrAppend(&string_to_sign, i == 0 ? "?" : "&", sub[i].first,
                    sub[i].second.empty() ? "" : "=", sub[i].second);
  }
  added.emplace_back(
      "Authorization",
      absl::StrCat("AWS ", creds.access_key, ":",
                   absl::Base64Escape(Hmac(EVP_sha1(), creds.secret_key, string_to_sign))));
  return added;
}

}  // namespace argus::objstore::s3
