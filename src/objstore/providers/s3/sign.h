// Request signing for S3: AWS Signature Version 4 (the default) and Version 2
// (`signature_version2: true`), plus the hashing and encoding helpers requests need.
// Pure functions of their inputs (time included), so tests compare them with botocore's values
// and AWS's published examples.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace argus::objstore::s3 {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // empty: none
};

// One HTTP request as it will be sent.
struct SignRequest {
  std::string method;  // "GET", "PUT", ...
  std::string host;    // the Host header: host, or host:port when not the scheme's default
  std::string path;    // the request path exactly as sent, already URI-encoded ("/b/k%20x")
  HeaderList query;    // decoded query parameters, in any order ("uploadId", "partNumber",
                       // "list-type", "prefix", ...); a parameter without value has ""
  HeaderList headers;  // headers sent besides Host and the ones signing adds, e.g.
                       // Content-Type, Content-MD5, Range, x-amz-server-side-encryption*
  std::string payload_sha256_hex;  // lowercase hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

// Signs with SigV4 for service "s3" in `region`, at `now`. Returns the headers to add to the
// request: x-amz-date, x-amz-content-sha256, x-amz-security-token (when the credentials have a
// session token) and Authorization. Signed headers are host, every x-amz-* header, content-type,
// content-md5, range and date among `headers`, plus the ones added here, lowercase and sorted
// (date because AWS's published examples sign it; Argus itself sends none).
// REQUIRES: `headers` has none of the headers added here.
HeaderList SignV4(const SignRequest& req, const Credentials& creds, absl::string_view region,
                  absl::Time now);

// Signs with SigV2 (the legacy "AWS access:signature" scheme, path-style addressing): the
// string to sign covers method, Content-MD5, Content-Type, the x-amz-* headers (the time is
// sent as x-amz-date, so the Date line is empty) and the resource /bucket/key with S3's
// sub-resources (uploadId, partNumber, uploads, ...). Returns the x-amz-date,
// x-amz-security-token (with a session token) and Authorization headers to add.
// `path` must be the path-style one ("/bucket/key"). When `headers` already has a Date or
// x-amz-date, that time is signed instead of `now` and no x-amz-date is added (so AWS's
// published examples can be reproduced).
HeaderList SignV2(const SignRequest& req, const Credentials& creds, absl::Time now);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);
// Base64 of the MD5 of `data` (the Content-MD5 header).
std::string Md5Base64(absl::string_view data);
// AWS's URI encoding: every byte but A-Z a-z 0-9 - _ . ~ as %XX (uppercase hex); '/' kept
// when `keep_slash` (object keys in paths).
std::string UriEncode(absl::string_view s, bool keep_slash);

}  // namespace argus::objstore::s3
