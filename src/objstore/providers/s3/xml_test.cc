#include "objstore/providers/s3/xml.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace argus::objstore::s3 {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

// A truncated V2 page as AWS writes it: indented, with a namespace, owners and storage classes
// to skip, a key with an escaped ampersand and prefixes with a character reference.
constexpr char kAwsListV2[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>thanos</Name>
  <Prefix>01HQ/</Prefix>
  <KeyCount>4</KeyCount>
  <MaxKeys>4</MaxKeys>
  <Delimiter>/</Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <Contents>
    <Key>01HQ/a &amp; b</Key>
    <LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>
    <ChecksumAlgorithm>CRC32</ChecksumAlgorithm>
    <Size>434234</Size>
    <Owner>
      <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
      <DisplayName>ops</DisplayName>
    </Owner>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>01HQ/meta.json</Key>
    <LastModified>2024-02-29T23:59:59Z</LastModified>
    <ETag>&quot;d41d8cd98f00b204e9800998ecf8427e-2&quot;</ETag>
    <Size>9223372036854775807</Size>
    <StorageClass>GLACIER</StorageClass>
  </Contents>
  <CommonPrefixes>
    <Prefix>01HQ/chunks/</Prefix>
  </CommonPrefixes>
  <CommonPrefixes>
    <Prefix>01HQ/&#xFC;ber/</Prefix>
  </CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>
)";

// A V2 page as s3rver 3 writes it: one line, its own namespace, the metadata before the
// contents, <Prefix></Prefix> for no prefix, he.escape's &#x27; and raw UTF-8 keys.
constexpr char kS3rverListV2[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://doc.s3."
    "amazonaws.com/2006-03-01/\"><Name>thanos</Name><Prefix></Prefix><ContinuationToken>"
    "eyJrIjoiMSJ9</ContinuationToken><NextContinuationToken>eyJrIjoiZMO8In0=</NextContinuation"
    "Token><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><Contents>"
    "<Key>c&#x27;est d\xC3\xBC</Key><LastModified>2021-10-04T23:38:52.123Z</LastModified><ETag>"
    "&quot;9a0364b9e99bb480dd25e1f0284c8555&quot;</ETag><Size>7</Size><StorageClass>STANDARD"
    "</StorageClass></Contents><Contents><Key>\xE6\x97\xA5\xE6\x9C\xAC/x&lt;y&gt;</Key>"
    "<LastModified>2021-10-04T23:38:53.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>0"
    "</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>";

// A V1 page with a delimiter as s3rver 3 writes it: an empty <Marker></Marker> and a
// <NextMarker>, and the common prefixes after the contents.
constexpr char kS3rverListV1[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://doc.s3."
    "amazonaws.com/2006-03-01/\"><Name>thanos</Name><Prefix>01HQ/</Prefix><Marker></Marker>"
    "<NextMarker>01HQ/index</NextMarker><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter>"
    "<IsTruncated>true</IsTruncated><Contents><Key>01HQ/index</Key><LastModified>2021-10-04T23:"
    "38:52.000Z</LastModified><ETag>&quot;e&quot;</ETag><Size>1024</Size><StorageClass>STANDARD"
    "</StorageClass></Contents><CommonPrefixes><Prefix>01HQ/chunks/</Prefix></CommonPrefixes>"
    "</ListBucketResult>";

// Error documents: AWS's (indented, with HostId), s3rver's (one line, HTML named entities in
// its details) and the one AWS sends after a 200 status line to CompleteMultipartUpload, whose
// declaration is followed by the whitespace S3 sent to keep the connection alive.
constexpr char kAwsNoSuchKey[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The specified key does not exist.</Message>
  <Key>01HQ/meta.json</Key>
  <RequestId>4442587FB7D0A2F9</RequestId>
  <HostId>vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=</HostId>
</Error>)";
constexpr char kS3rverNoSuchKey[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The "
    "specified key does not exist.</Message><Key>&uuml;ber &amp; &quot;x&quot;</Key></Error>";
constexpr char kCompleteFailedAfter200[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n                    \n\n<Error><Code>"
    "InternalError</Code><Message>We encountered an internal error. Please try again.</Message>"
    "<RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4Z"
    "VKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>";

constexpr char kInitiate[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>thanos</Bucket>
  <Key>01HQ/chunks/000001</Key>
  <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
</InitiateMultipartUploadResult>)";

void ExpectSameList(const ListResult& got, const ListResult& want, absl::string_view what) {
  ASSERT_EQ(got.contents.size(), want.contents.size()) << what;
  for (size_t i = 0; i < got.contents.size(); ++i) {
    EXPECT_EQ(got.contents[i].key, want.contents[i].key) << what;
    EXPECT_EQ(got.contents[i].size, want.contents[i].size) << what;
    EXPECT_EQ(got.contents[i].last_modified, want.contents[i].last_modified) << what;
  }
  EXPECT_EQ(got.common_prefixes, want.common_prefixes) << what;
  EXPECT_EQ(got.is_truncated, want.is_truncated) << what;
  EXPECT_EQ(got.next_continuation_token, want.next_continuation_token) << what;
  EXPECT_EQ(got.next_marker, want.next_marker) << what;
}

TEST(XmlTest, AwsListObjectsV2Page) {
  absl::StatusOr<ListResult> r = ParseListBucketResult(kAwsListV2);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->contents.size(), 2u);
  EXPECT_EQ(r->contents[0].key, "01HQ/a & b");
  EXPECT_EQ(r->contents[0].size, 434234);
  EXPECT_EQ(r->contents[0].last_modified, absl::FromUnixSeconds(1255369830));
  EXPECT_EQ(r->contents[1].key, "01HQ/meta.json");
  EXPECT_EQ(r->contents[1].size, INT64_MAX);
  EXPECT_EQ(r->contents[1].last_modified, Utc(2024, 2, 29, 23, 59, 59));
  EXPECT_EQ(r->common_prefixes, (std::vector<std::string>{"01HQ/chunks/", "01HQ/über/"}));
  EXPECT_TRUE(r->is_truncated);
  EXPECT_EQ(r->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_EQ(r->next_marker, "");
}

TEST(XmlTest, S3rverListObjectsV2Page) {
  absl::StatusOr<ListResult> r = ParseListBucketResult(kS3rverListV2);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->contents.size(), 2u);
  EXPECT_EQ(r->contents[0].key, "c'est dü");
  EXPECT_EQ(r->contents[0].size, 7);
  EXPECT_EQ(r->contents[0].last_modified, Utc(2021, 10, 4, 23, 38, 52) + absl::Milliseconds(123));
  EXPECT_EQ(r->contents[1].key, "日本/x<y>");
  EXPECT_EQ(r->contents[1].size, 0);
  EXPECT_TRUE(r->common_prefixes.empty());
  EXPECT_TRUE(r->is_truncated);
  EXPECT_EQ(r->next_continuation_token, "eyJrIjoiZMO8In0=");
}

TEST(XmlTest, S3rverListObjectsV1PageWithDelimiter) {
  absl::StatusOr<ListResult> r = ParseListBucketResult(kS3rverListV1);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->contents.size(), 1u);
  EXPECT_EQ(r->contents[0].key, "01HQ/index");
  EXPECT_EQ(r->contents[0].size, 1024);
  EXPECT_EQ(r->common_prefixes, std::vector<std::string>{"01HQ/chunks/"});
  EXPECT_TRUE(r->is_truncated);
  EXPECT_EQ(r->next_marker, "01HQ/index");
  EXPECT_EQ(r->next_continuation_token, "");
}

TEST(XmlTest, EmptyListingsAndEmptyElements) {
  for (const char* doc :
       {"<ListBucketResult><Name>b</Name><Prefix/><IsTruncated>false</IsTruncated>"
        "</ListBucketResult>",
        "<ListBucketResult xmlns=\"x\"><Prefix /><Marker></Marker><IsTruncated>False"
        "</IsTruncated></ListBucketResult>",
        "<ListBucketResult/>", "\n\n<ListBucketResult>\r\n\t</ListBucketResult >\n"}) {
    absl::StatusOr<ListResult> r = ParseListBucketResult(doc);
    ASSERT_TRUE(r.ok()) << doc << ": " << r.status();
    EXPECT_TRUE(r->contents.empty()) << doc;
    EXPECT_TRUE(r->common_prefixes.empty()) << doc;
    EXPECT_FALSE(r->is_truncated) << doc;
  }
  // An empty key in a listing and an empty common prefix are kept.
  absl::StatusOr<ListResult> r = ParseListBucketResult(
      "<ListBucketResult><CommonPrefixes><Prefix/></CommonPrefixes><Contents><Key></Key>"
      "<Size>1</Size></Contents></ListBucketResult>");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->common_prefixes, std::vector<std::string>{""});
  EXPECT_EQ(r->contents[0].key, "");
  EXPECT_EQ(r->contents[0].last_modified, absl::UnixEpoch());
}

TEST(XmlTest, PrefixesBeforeContentsKeepDocumentOrder) {
  absl::StatusOr<ListResult> r = ParseListBucketResult(
      "<ListBucketResult><CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes><Contents><Key>z"
      "</Key><Size>1</Size></Contents><CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>"
      "<Contents><Key>y</Key><Size>2</Size></Contents></ListBucketResult>");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->common_prefixes, (std::vector<std::string>{"b/", "a/"}));
  ASSERT_EQ(r->contents.size(), 2u);
  EXPECT_EQ(r->contents[0].key, "z");
  EXPECT_EQ(r->contents[1].key, "y");
}

TEST(XmlTest, EntitiesCharacterReferencesCdataAndMarkup) {
  absl::StatusOr<ListResult> r = ParseListBucketResult(
      "<?xml version='1.0'?><!-- listing --><s3:ListBucketResult xmlns:s3='urn:x' a='1>2'>"
      "<s3:Contents><s3:Key>&amp;&lt;&gt;&quot;&apos;|&#65;&#x42;&#X43;|&#233;&#x65E5;&#x1F600;"
      "</s3:Key><Size> 5 </Size><!-- a comment -->"
      "<?pi x?></s3:Contents><Contents><Key><![CDATA[a<b>&amp;]]>c</Key><Size>+6</Size>"
      "</Contents></s3:ListBucketResult>");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->contents.size(), 2u);
  EXPECT_EQ(r->contents[0].key, "&<>\"'|ABC|é日😀");
  EXPECT_EQ(r->contents[0].size, 5);
  EXPECT_EQ(r->contents[1].key, "a<b>&amp;c");
  EXPECT_EQ(r->contents[1].size, 6);
}

TEST(XmlTest, LastModifiedWithAndWithoutFractionsAndOffsets) {
  const std::pair<const char*, absl::Time> cases[] = {
      {"2021-10-04T23:38:52Z", Utc(2021, 10, 4, 23, 38, 52)},
      {"2021-10-04T23:38:52.5Z", Utc(2021, 10, 4, 23, 38, 52) + absl::Milliseconds(500)},
      {"2021-10-04T23:38:52.123456789Z",
       Utc(2021, 10, 4, 23, 38, 52) + absl::Nanoseconds(123456789)},
      {"2021-10-05T01:38:52+02:00", Utc(2021, 10, 4, 23, 38, 52)},
  };
  for (const auto& [text, want] : cases) {
    absl::StatusOr<ListResult> r = ParseListBucketResult(
        absl::StrCat("<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>", text,
                     "</LastModified></Contents></ListBucketResult>"));
    ASSERT_TRUE(r.ok()) << text << ": " << r.status();
    EXPECT_EQ(r->contents[0].last_modified, want) << text;
  }
}

TEST(XmlTest, BadListingsAreDataLoss) {
  std::string nested = "<ListBucketResult>";
  for (int i = 0; i < 1000; ++i) nested += "<a>";
  for (int i = 0; i < 1000; ++i) nested += "</a>";
  nested += "</ListBucketResult>";
  const std::pair<std::string, std::string> cases[] = {
      {"", "expected an element"},
      {"garbage", "expected an element"},
      {std::string("\x00\xff<\x01>", 5), "expected an element"},
      {"<ListBucketResult>", "unclosed <ListBucketResult>"},
      {"<ListBucketResult><Contents></ListBucketResult>", "mismatched end tag for <Contents>"},
      {"<ListBucketResult></Other>", "mismatched end tag"},
      {"<ListBucketResult></ListBucketResult><x/>", "content after the root element"},
      {"<Other/>", "the root element is <Other>"},
      {"<ListBucketResult xmlns=\"unterminated></ListBucketResult>", "unterminated tag"},
      {"<><ListBucketResult/>", "empty tag name"},
      {"<ListBucketResult><![CDATA[x</ListBucketResult>", "unterminated CDATA"},
      {"<ListBucketResult><!-- x </ListBucketResult>", "no closing -->"},
      {"<?xml version=\"1.0\"", "no closing ?>"},
      {"<ListBucketResult>AT&T</ListBucketResult>", "'&' without an entity"},
      {"<ListBucketResult>&bogus;</ListBucketResult>", "unknown entity &bogus;"},
      {"<ListBucketResult>&uuml;</ListBucketResult>", "unknown entity &uuml;"},
      {"<ListBucketResult>&#0;</ListBucketResult>", "bad character reference"},
      {"<ListBucketResult>&#xD800;</ListBucketResult>", "bad character reference"},
      {"<ListBucketResult>&#x110000;</ListBucketResult>", "past U+10FFFF"},
      {"<ListBucketResult>&#99999999999999999999;</ListBucketResult>", "past U+10FFFF"},
      {"<ListBucketResult>&#x;</ListBucketResult>", "bad character reference"},
      {"<ListBucketResult>&#12a;</ListBucketResult>", "bad character reference"},
      {nested, "nested too deep"},
      {"<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
       "<Contents> without <Key>"},
      {"<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>",
       "bad <Size> \"\" of key k"},
      {"<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents></ListBucketResult>",
       "bad <Size> \"x\""},
      {"<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>",
       "bad <Size> \"-1\""},
      {"<ListBucketResult><Contents><Key>k</Key><Size>9223372036854775808</Size></Contents>"
       "</ListBucketResult>",
       "bad <Size>"},
      {"<ListBucketResult><Contents><Key>k</Key><Size>1.5</Size></Contents></ListBucketResult>",
       "bad <Size>"},
      {"<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>yesterday"
       "</LastModified></Contents></ListBucketResult>",
       "bad <LastModified> \"yesterday\""},
      {"<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>2021-10-04 23:38:52"
       "</LastModified></Contents></ListBucketResult>",
       "bad <LastModified>"},
      {"<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>",
       "bad <IsTruncated> \"maybe\""},
  };
  for (const auto& [doc, want] : cases) {
    absl::StatusOr<ListResult> r = ParseListBucketResult(doc);
    EXPECT_TRUE(absl::IsDataLoss(r.status())) << doc << ": " << r.status();
    EXPECT_TRUE(absl::StartsWith(r.status().message(), "malformed ListBucketResult: ")) << doc;
    EXPECT_NE(r.status().message().find(want), std::string::npos)
        << doc << "\nwant " << want << "\ngot " << r.status();
  }
}

// Every prefix of a real document (a body cut short) is DataLoss, or, when only trailing
// whitespace was cut, the same listing.
TEST(XmlTest, TruncatedListingsAreDataLossAtEveryCut) {
  for (const char* full : {kAwsListV2, kS3rverListV2, kS3rverListV1}) {
    const std::string doc = full;
    absl::StatusOr<ListResult> want = ParseListBucketResult(doc);
    ASSERT_TRUE(want.ok()) << want.status();
    for (size_t n = 0; n < doc.size(); ++n) {
      const std::string cut = doc.substr(0, n);
      absl::StatusOr<ListResult> r = ParseListBucketResult(cut);
      if (r.ok()) {
        EXPECT_EQ(doc.find_first_not_of(" \n", n), std::string::npos) << "cut at " << n;
        ExpectSameList(*r, *want, absl::StrCat("cut at ", n));
      } else {
        EXPECT_TRUE(absl::IsDataLoss(r.status())) << "cut at " << n << ": " << r.status();
      }
    }
  }
}

TEST(XmlTest, TruncatedErrorsAndUploadIdsNeverParse) {
  for (const char* full : {kAwsNoSuchKey, kS3rverNoSuchKey, kCompleteFailedAfter200}) {
    const std::string doc = full;
    for (size_t n = 0; n < doc.size(); ++n) {
      S3Error e;
      EXPECT_FALSE(ParseError(doc.substr(0, n), &e)) << "cut at " << n;
    }
  }
  const std::string doc = kInitiate;
  for (size_t n = 0; n < doc.size(); ++n) {
    EXPECT_TRUE(absl::IsDataLoss(ParseUploadId(doc.substr(0, n)).status())) << "cut at " << n;
  }
}

TEST(XmlTest, ErrorDocuments) {
  S3Error e;
  ASSERT_TRUE(ParseError(kAwsNoSuchKey, &e));
  EXPECT_EQ(e.code, "NoSuchKey");
  EXPECT_EQ(e.message, "The specified key does not exist.");
  EXPECT_EQ(e.request_id, "4442587FB7D0A2F9");

  e = S3Error();
  ASSERT_TRUE(ParseError(kS3rverNoSuchKey, &e));
  EXPECT_EQ(e.code, "NoSuchKey");
  EXPECT_EQ(e.request_id, "");

  ASSERT_TRUE(ParseError(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
      "Access Denied</Message><RequestId>656c76696e672773</RequestId><HostId>x</HostId></Error>",
      &e));
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_EQ(e.message, "Access Denied");

  ASSERT_TRUE(
      ParseError("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
                 "<RequestId>4442587FB7D0A2F9</RequestId></Error>",
                 &e));
  EXPECT_EQ(e.code, "SlowDown");
  EXPECT_EQ(e.message, "Please reduce your request rate.");

  ASSERT_TRUE(ParseError(kCompleteFailedAfter200, &e));
  EXPECT_EQ(e.code, "InternalError");
  EXPECT_EQ(e.request_id, "656c76696e6727732072657175657374");
}

TEST(XmlTest, NonErrorDocumentsAreNotErrors) {
  S3Error e{"unchanged", "", ""};
  for (const char* doc :
       {"", "garbage", "<Error>", "<Error><Code>X</Code>&bad</Error>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n\n<CompleteMultipartUploadResult xmlns="
        "\"http://s3.amazonaws.com/doc/2006-03-01/\"><Location>https://b.s3.amazonaws.com/k"
        "</Location><Bucket>b</Bucket><Key>k</Key><ETag>&quot;3858f62230ac3c915f300c664312c11f-9"
        "&quot;</ETag></CompleteMultipartUploadResult>",
        kAwsListV2}) {
    EXPECT_FALSE(ParseError(doc, &e)) << doc;
  }
  EXPECT_EQ(e.code, "unchanged");
}

TEST(XmlTest, UploadId) {
  absl::StatusOr<std::string> id = ParseUploadId(kInitiate);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
  // s3rver's: one line, an upload id of hex digits.
  id = ParseUploadId(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult><Bucket>thanos"
      "</Bucket><Key>k</Key><UploadId>0e9b8f1c7a6d4e2b</UploadId></InitiateMultipartUploadResult>");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "0e9b8f1c7a6d4e2b");

  for (const char* bad : {"<InitiateMultipartUploadResult/>",
                          "<InitiateMultipartUploadResult><UploadId></UploadId>"
                          "</InitiateMultipartUploadResult>",
                          "<Error><Code>AccessDenied</Code></Error>", "", "<Initiate"}) {
    EXPECT_TRUE(absl::IsDataLoss(ParseUploadId(bad).status())) << bad;
  }
}

TEST(XmlTest, CompleteMultipartUploadBody) {
  EXPECT_EQ(CompleteMultipartUploadXml({}), "<CompleteMultipartUpload></CompleteMultipartUpload>");
  EXPECT_EQ(CompleteMultipartUploadXml({"\"e1\"", "\"a&b<c>\""}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;"
            "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;a&amp;b&lt;c&gt;&quot;"
            "</ETag></Part></CompleteMultipartUpload>");
  const std::string many = CompleteMultipartUploadXml(std::vector<std::string>(12, "\"e\""));
  EXPECT_NE(many.find("<Part><PartNumber>12</PartNumber><ETag>&quot;e&quot;</ETag></Part>"
                      "</CompleteMultipartUpload>"),
            std::string::npos);
}

}  // namespace
}  // namespace argus::objstore::s3
