// The few S3 XML documents the client reads and writes: ListBucketResult (ListObjects V1 and
// V2), InitiateMultipartUploadResult, CompleteMultipartUpload and Error. Not a general XML
// parser: it reads the elements these documents have, decodes XML entities and character
// references, and rejects what it cannot read.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace argus::objstore::s3 {

struct ListedObject {
  std::string key;
  int64_t size = 0;
  absl::Time last_modified;  // from RFC 3339 <LastModified>, e.g. 2009-10-12T17:50:30.000Z
};

struct ListResult {
  std::vector<ListedObject> contents;        // <Contents>, in document order
  std::vector<std::string> common_prefixes;  // <CommonPrefixes><Prefix>, in document order
  bool is_truncated = false;
  std::string next_continuation_token;  // V2
  std::string next_marker;              // V1 (absent unless a delimiter was given)
};

// Errors: DataLoss "malformed ListBucketResult: ..." when the document is not one (the caller
// treats DataLoss as transient: a truncated body), when a <Contents> lacks <Key> or has a <Size>
// that is not a non-negative int64, or a <LastModified> that is not RFC 3339. A <Contents>
// without <LastModified> has the Unix epoch.
absl::StatusOr<ListResult> ParseListBucketResult(absl::string_view xml);

// The <UploadId> of an InitiateMultipartUploadResult. Errors: DataLoss when absent or when the
// document is malformed.
absl::StatusOr<std::string> ParseUploadId(absl::string_view xml);

struct S3Error {
  std::string code;  // e.g. "NoSuchKey", "AccessDenied", "SlowDown", "InternalError"
  std::string message;
  std::string request_id;
};

// Whether `xml` is an <Error> document (S3 may send one with status 200 in answer to
// CompleteMultipartUpload), and if so its fields (absent ones empty). Named entities other than
// XML's five (s3rver writes HTML ones such as &uuml;) are kept undecoded.
bool ParseError(absl::string_view xml, S3Error* out);

// The CompleteMultipartUpload request body for parts numbered 1..n with their ETags (quoted as
// S3 returned them), with XML special characters escaped.
std::string CompleteMultipartUploadXml(const std::vector<std::string>& etags);

}  // namespace argus::objstore::s3
