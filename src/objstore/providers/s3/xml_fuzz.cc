// libFuzzer target for the S3 XML reader (bucket listings, upload ids and errors are input from
// the network). Any input must parse or fail with DataLoss, never crash; a parsed listing's
// sizes are never negative. Seeds: `-write_seeds=DIR`.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "fuzz/fuzz_util.h"
#include "objstore/providers/s3/xml.h"

namespace argus::objstore::s3 {
namespace {

using fuzz::Require;

void Check(absl::string_view doc) {
  absl::StatusOr<ListResult> list = ParseListBucketResult(doc);
  fuzz::RequireOkOr(list.status(), absl::StatusCode::kDataLoss, "listing errors are DataLoss");
  if (list.ok()) {
    for (const ListedObject& o : list->contents) Require(o.size >= 0, "sizes are not negative");
  }
  fuzz::RequireOkOr(ParseUploadId(doc).status(), absl::StatusCode::kDataLoss,
                    "upload id errors are DataLoss");
  S3Error e;
  ParseError(doc, &e);
}

absl::Status WriteSeeds(const std::string& dir) {
  const char* seeds[] = {
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws."
      "com/doc/2006-03-01/\"><Name>b</Name><Prefix>d/</Prefix><IsTruncated>true</IsTruncated>"
      "<Contents><Key>d/a &amp; &#xFC;</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>"
      "<ETag>&quot;x&quot;</ETag><Size>434234</Size><Owner><ID>i</ID></Owner></Contents>"
      "<CommonPrefixes><Prefix>d/s/</Prefix></CommonPrefixes><NextContinuationToken>t=="
      "</NextContinuationToken></ListBucketResult>",
      "<ListBucketResult><Prefix/><NextMarker>k</NextMarker><!-- c --><Contents><Key><![CDATA[k"
      "]]></Key><Size>0</Size></Contents></ListBucketResult>",
      "<InitiateMultipartUploadResult><UploadId>VXBsb2Fk</UploadId>"
      "</InitiateMultipartUploadResult>",
      "<Error><Code>SlowDown</Code><Message>m</Message><RequestId>r</RequestId></Error>",
  };
  int i = 0;
  for (const char* s : seeds) RETURN_IF_ERROR(fuzz::WriteSeed(dir, absl::StrCat("seed", i++), s));
  return absl::OkStatus();
}

}  // namespace
}  // namespace argus::objstore::s3

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  argus::fuzz::MaybeWriteSeeds(*argc, *argv, argus::objstore::s3::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  argus::objstore::s3::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
