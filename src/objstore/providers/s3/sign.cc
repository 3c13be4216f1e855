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

std::string Base64(absl::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // + the NUL EVP_EncodeBlock writes
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

// SigV4's Trimall: trimmed, with inner runs of whitespace collapsed to one space.
std::string Trimall(absl::string_view v) {
  std::string out;
  bool space = false;
  for (char c : absl::StripAsciiWhitespace(v)) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// "name:value\n" for each of `headers` (lowercase names) sorted by name; the values of a
// repeated name are joined by commas in the order given, as both signature versions require.
std::string HeaderLines(HeaderList headers) {
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (size_t i = 0; i < headers.size(); ++i) {
    if (i > 0 && headers[i].first == headers[i - 1].first) {
      out.back() = ',';
      absl::StrAppend(&out, headers[i].second, "\n");
    } else {
      absl::StrAppend(&out, headers[i].first, ":", headers[i].second, "\n");
    }
  }
  return out;
}

// Whether SigV4 signs the header `name` (lowercase).
bool SignedV4(absl::string_view name) {
  return name == "host" || name == "content-type" || name == "content-md5" || name == "range" ||
         name == "date" || absl::StartsWith(name, "x-amz-");
}

// Encoded "k=v" pairs sorted by encoded key, then value, joined by '&'.
std::string CanonicalQuery(const HeaderList& query) {
  HeaderList encoded;
  for (const auto& [k, v] : query) encoded.emplace_back(UriEncode(k, false), UriEncode(v, false));
  std::sort(encoded.begin(), encoded.end());
  return absl::StrJoin(encoded, "&", absl::PairFormatter("="));
}

// The query parameters SigV2 includes in the canonical resource.
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

std::string Md5Base64(absl::string_view data) { return Base64(Digest(EVP_md5(), data)); }

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
  const absl::string_view day = absl::string_view(amz_date).substr(0, 8);
  HeaderList added = {{"x-amz-date", amz_date}, {"x-amz-content-sha256", req.payload_sha256_hex}};
  if (!creds.session_token.empty()) {
    added.emplace_back("x-amz-security-token", creds.session_token);
  }

  HeaderList signed_list = {{"host", Trimall(req.host)}};
  auto collect = [&](const HeaderList& list) {
    for (const auto& [k, v] : list) {
      std::string name = absl::AsciiStrToLower(k);
      if (name != "host" && SignedV4(name)) signed_list.emplace_back(std::move(name), Trimall(v));
    }
  };
  collect(req.headers);
  collect(added);
  const std::string canonical_headers = HeaderLines(signed_list);
  std::vector<std::string> names;
  for (const auto& [name, value] : signed_list) names.push_back(name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  const std::string signed_headers = absl::StrJoin(names, ";");

  const std::string canonical_request =
      absl::StrCat(req.method, "\n", req.path, "\n", CanonicalQuery(req.query), "\n",
                   canonical_headers, "\n", signed_headers, "\n", req.payload_sha256_hex);
  const std::string scope = absl::StrCat(day, "/", region, "/s3/aws4_request");
  const std::string string_to_sign =
      absl::StrCat("AWS4-HMAC-SHA256\n", amz_date, "\n", scope, "\n", Sha256Hex(canonical_request));
  std::string key = absl::StrCat("AWS4", creds.secret_key);
  const absl::string_view key_path[] = {day, region, "s3", "aws4_request"};
  for (absl::string_view part : key_path) key = Hmac(EVP_sha256(), key, part);
  const std::string signature = absl::BytesToHexString(Hmac(EVP_sha256(), key, string_to_sign));
  added.emplace_back("Authorization",
                     absl::StrCat("AWS4-HMAC-SHA256 Credential=", creds.access_key, "/", scope,
                                  ",SignedHeaders=", signed_headers, ",Signature=", signature));
  return added;
}

HeaderList SignV2(const SignRequest& req, const Credentials& creds, absl::Time now) {
  std::string md5, type, date;
  bool has_amz_date = false;
  HeaderList amz;
  auto collect = [&](const HeaderList& list) {
    for (const auto& [k, v] : list) {
      std::string name = absl::AsciiStrToLower(k);
      const absl::string_view value = absl::StripAsciiWhitespace(v);
      if (name == "content-md5") md5 = std::string(value);
      if (name == "content-type") type = std::string(value);
      if (name == "date") date = std::string(value);
      if (absl::StartsWith(name, "x-amz-")) {
        has_amz_date = has_amz_date || name == "x-amz-date";
        amz.emplace_back(std::move(name), std::string(value));
      }
    }
  };
  collect(req.headers);
  HeaderList added;
  if (date.empty() && !has_amz_date) {
    added.emplace_back("x-amz-date",
                       absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", now, absl::UTCTimeZone()));
  }
  if (!creds.session_token.empty()) {
    added.emplace_back("x-amz-security-token", creds.session_token);
  }
  collect(added);
  if (has_amz_date) date.clear();  // S3 ignores Date when x-amz-date is sent

  HeaderList sub;
  for (const auto& [k, v] : req.query) {
    if (SubResource(k)) sub.emplace_back(k, v);
  }
  std::sort(sub.begin(), sub.end());
  std::string string_to_sign =
      absl::StrCat(req.method, "\n", md5, "\n", type, "\n", date, "\n", HeaderLines(amz), req.path);
  for (size_t i = 0; i < sub.size(); ++i) {
    absl::StrAppend(&string_to_sign, i == 0 ? "?" : "&", sub[i].first,
                    sub[i].second.empty() ? "" : "=", sub[i].second);
  }
  added.emplace_back("Authorization",
                     absl::StrCat("AWS ", creds.access_key, ":",
                                  Base64(Hmac(EVP_sha1(), creds.secret_key, string_to_sign))));
  return added;
}

}  // namespace argus::objstore::s3
