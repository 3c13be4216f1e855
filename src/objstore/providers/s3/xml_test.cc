#include "objstore/providers/s3/xml.h"

#include "gtest/gtest.h"

namespace argus::objstore::s3 {
namespace {

// A V2 page as AWS documents it (truncated, with a continuation token).
constexpr char kListV2[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name>
  <Prefix>dir/</Prefix>
  <KeyCount>2</KeyCount>
  <MaxKeys>2</MaxKeys>
  <Delimiter>/</Delimiter>
  <IsTruncated>true</IsTruncated>
  <Contents>
    <Key>dir/a &amp; b</Key>
    <LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>
    <Size>434234</Size>
    <StorageClass>STANDARD</StorageClass>
    <Owner><ID>x</ID><DisplayName>y</DisplayName></Owner>
  </Contents>
  <CommonPrefixes><Prefix>dir/sub/</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>dir/&#xFC;ber/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";

TEST(XmlTest, ListObjectsV2Page) {
  absl::StatusOr<ListResult> r = ParseListBucketResult(kListV2);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->contents.size(), 1u);
  EXPECT_EQ(r->contents[0].key, "dir/a & b");
  EXPECT_EQ(r->contents[0].size, 434234);
  EXPECT_EQ(r->contents[0].last_modified, absl::FromUnixSeconds(1255369830));
  EXPECT_EQ(r->common_prefixes, (std::vector<std::string>{"dir/sub/", "dir/über/"}));
  EXPECT_TRUE(r->is_truncated);
  EXPECT_EQ(r->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(XmlTest, ListObjectsV1PageWithEmptyElements) {
  absl::StatusOr<ListResult> r = ParseListBucketResult(
      "<ListBucketResult><Prefix/><Marker></Marker><NextMarker>k9</NextMarker>"
      "<IsTruncated>true</IsTruncated><Contents><Key>k1</Key><Size>0</Size>"
      "<LastModified>2024-01-02T03:04:05Z</LastModified></Contents></ListBucketResult>");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->contents[0].key, "k1");
  EXPECT_EQ(r->next_marker, "k9");
  EXPECT_TRUE(r->is_truncated);
}

TEST(XmlTest, UploadIdErrorsAndCompleteBody) {
  EXPECT_EQ(*ParseUploadId("<?xml version=\"1.0\"?><InitiateMultipartUploadResult><Bucket>b"
                           "</Bucket><Key>k</Key><UploadId>VXBsb2Fk</UploadId>"
                           "</InitiateMultipartUploadResult>"),
            "VXBsb2Fk");
  EXPECT_TRUE(absl::IsDataLoss(ParseUploadId("<InitiateMultipartUploadResult/>").status()));
  S3Error e;
  ASSERT_TRUE(ParseError(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please "
      "reduce your request rate.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>",
      &e));
  EXPECT_EQ(e.code, "SlowDown");
  EXPECT_EQ(e.request_id, "4442587FB7D0A2F9");
  EXPECT_FALSE(ParseError("<CompleteMultipartUploadResult/>", &e));
  EXPECT_FALSE(ParseError("", &e));
  EXPECT_EQ(CompleteMultipartUploadXml({"\"e1\"", "\"a&b\""}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;"
            "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;a&amp;b&quot;</ETag>"
            "</Part></CompleteMultipartUpload>");
}

TEST(XmlTest, MalformedDocumentsAreDataLossAtEveryCut) {
  const std::string doc = kListV2;
  for (size_t n = 0; n < doc.size(); ++n) {
    absl::StatusOr<ListResult> r = ParseListBucketResult(doc.substr(0, n));
    EXPECT_TRUE(absl::IsDataLoss(r.status())) << "cut at " << n;
  }
  for (const char* bad :
       {"<ListBucketResult><Contents><Size>x</Size></Contents></ListBucketResult>",
        "<ListBucketResult>&bogus;</ListBucketResult>", "<ListBucketResult></Other>", "<Other/>",
        "garbage",
        "<ListBucketResult><Contents><Size>1</Size><LastModified>yesterday"
        "</LastModified></Contents></ListBucketResult>"}) {
    EXPECT_TRUE(absl::IsDataLoss(ParseListBucketResult(bad).status())) << bad;
  }
}

}  // namespace
}  // namespace argus::objstore::s3
