#include "objstore/providers/s3/s3.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status.h"
#include "objstore/providers/s3/client.h"
#include "objstore/providers/s3/xml.h"

namespace argus::objstore::s3 {
namespace {

// Reads up to `n` bytes of `src` into a string; shorter only at the end of `src`.
absl::StatusOr<std::string> ReadUpTo(UploadSource& src, size_t n) {
  std::string buf(n, '\0');
  size_t got = 0;
  while (got < n) {
    ASSIGN_OR_RETURN(size_t k, src.Read(buf.data() + got, n - got));
    if (k == 0) break;
    got += k;
  }
  buf.resize(got);
  return buf;
}

absl::Time ParseHttpDate(const std::string& text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", text, &t, &err)) return t;
  return absl::UnixEpoch();
}

class S3Bucket : public Bucket {
 public:
  S3Bucket(std::unique_ptr<Client> client, int upload_concurrency)
      : client_(std::move(client)), upload_concurrency_(upload_concurrency) {}

  std::string Name() const override { return client_->config().bucket; }

  absl::Status Upload(absl::string_view name, UploadSource& src) override {
    RETURN_IF_ERROR(CheckKey(name));
    const S3Config& c = client_->config();
    const uint64_t size = src.Size();
    if (c.disable_multipart || size <= c.part_size) {
      ASSIGN_OR_RETURN(std::string body, ReadUpTo(src, size));
      if (body.size() != size) return ShortSource(name, body.size(), size);
      Call call{"PUT", std::string(name), {}, UploadHeaders(body, true), body};
      return client_->Do(call).status();
    }
    return UploadMultipart(std::string(name), src, size);
  }

  absl::Status GetRange(absl::string_view name, int64_t offset, int64_t length,
                        const ByteSink& sink) override {
    RETURN_IF_ERROR(CheckKey(name));
    if (offset < 0) return absl::InvalidArgumentError("negative offset");
    if (length == 0) return absl::OkStatus();
    int64_t delivered = 0;
    // Passes on at most the bytes asked for (some servers send more than a range holds).
    const ByteSink count = [&delivered, &sink, length](absl::string_view piece) {
      if (length >= 0) piece = piece.substr(0, std::max<int64_t>(0, length - delivered));
      if (piece.empty()) return absl::OkStatus();
      RETURN_IF_ERROR(sink(piece));
      delivered += piece.size();
      return absl::OkStatus();
    };
    // Each retry asks for what is still missing, so no byte reaches `sink` twice.
    return client_->Retry([&]() -> absl::Status {
      if (length >= 0 && delivered >= length) return absl::OkStatus();
      Call call{"GET", std::string(name), {}, client_->SseHeaders(false), {}};
      const int64_t from = offset + delivered;
      if (from > 0 || length > 0) {
        call.headers.emplace_back(
            "Range", length < 0 ? absl::StrCat("bytes=", from, "-")
                                : absl::StrCat("bytes=", from, "-", offset + length - 1));
        call.range_start = from;
      }
      absl::StatusOr<HttpResponse> resp = client_->Once(call, &count);
      // 416: the range starts at or after the end; the object has nothing more there.
      if (absl::IsOutOfRange(resp.status())) return absl::OkStatus();
      RETURN_IF_ERROR(resp.status());
      const auto len = resp->headers.find("content-length");
      if (len != resp->headers.end() && std::to_string(resp->received) != len->second) {
        return absl::DataLossError(absl::StrCat("GET ", name, ": body cut short"));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<ObjectAttributes> Attributes(absl::string_view name) override {
    RETURN_IF_ERROR(CheckKey(name));
    ASSIGN_OR_RETURN(HttpResponse resp,
                     client_->Do({"HEAD", std::string(name), {}, client_->SseHeaders(false), {}}));
    ObjectAttributes a;
    const auto len = resp.headers.find("content-length");
    if (len == resp.headers.end() || !absl::SimpleAtoi(len->second, &a.size)) {
      return absl::DataLossError(absl::StrCat("HEAD ", name, ": no Content-Length"));
    }
    a.last_modified = ParseHttpDate(resp.headers["last-modified"]);
    return a;
  }

  absl::Status Iter(absl::string_view dir, bool recursive, const NameSink& sink) override {
    std::string prefix(absl::StripSuffix(dir, "/"));
    if (!prefix.empty()) {
      RETURN_IF_ERROR(CheckKey(prefix));
      prefix += "/";
    }
    const bool v1 = client_->config().list_objects_v1;
    std::string token;  // continuation token (V2) or marker (V1)
    for (;;) {
      Call call{"GET", "", {{"prefix", prefix}}, {}, {}};
      if (!v1) call.query.emplace_back("list-type", "2");
      if (!recursive) call.query.emplace_back("delimiter", "/");
      if (!token.empty()) call.query.emplace_back(v1 ? "marker" : "continuation-token", token);
      absl::StatusOr<ListResult> page;
      RETURN_IF_ERROR(client_->Retry([&]() -> absl::Status {
        ASSIGN_OR_RETURN(HttpResponse resp, client_->Once(call));
        page = ParseListBucketResult(resp.body);
        return page.status();
      }));
      // Objects and "directories" come in two sorted lists; hand them out merged.
      size_t o = 0, p = 0;
      std::string last;
      while (o < page->contents.size() || p < page->common_prefixes.size()) {
        const bool take_object =
            p == page->common_prefixes.size() ||
            (o < page->contents.size() && page->contents[o].key < page->common_prefixes[p]);
        last = take_object ? page->contents[o++].key : page->common_prefixes[p++];
        if (last == prefix) continue;  // a "directory marker" object
        RETURN_IF_ERROR(sink(last));
      }
      if (!page->is_truncated) return absl::OkStatus();
      token = v1 ? (page->next_marker.empty() ? last : page->next_marker)
                 : page->next_continuation_token;
      if (token.empty()) {
        return absl::DataLossError("ListObjects: truncated listing without continuation");
      }
    }
  }

  absl::Status Delete(absl::string_view name) override {
    RETURN_IF_ERROR(CheckKey(name));
    absl::Status st = client_->Do({"DELETE", std::string(name), {}, {}, {}}).status();
    return absl::IsNotFound(st) ? absl::OkStatus() : st;
  }

 private:
  static absl::Status ShortSource(absl::string_view name, uint64_t got, uint64_t want) {
    return absl::DataLossError(
        absl::StrCat("upload ", name, ": source ended after ", got, " of ", want, " bytes"));
  }

  // Headers of a PutObject (`start`) or UploadPart carrying `body`.
  HeaderList UploadHeaders(absl::string_view body, bool start) const {
    const S3Config& c = client_->config();
    HeaderList h = client_->SseHeaders(start);
    if (start) {
      h.emplace_back("Content-Type", "application/octet-stream");
      for (const auto& [k, v] : c.put_user_metadata) h.emplace_back("x-amz-meta-" + k, v);
    }
    if (c.send_content_md5) h.emplace_back("Content-MD5", Md5Base64(body));
    return h;
  }

  absl::Status UploadMultipart(const std::string& name, UploadSource& src, uint64_t size) {
    Call start{"POST", name, {{"uploads", ""}}, UploadHeaders({}, true), {}};
    // Content-MD5 of an empty body means nothing here.
    std::erase_if(start.headers, [](const auto& h) { return h.first == "Content-MD5"; });
    ASSIGN_OR_RETURN(HttpResponse resp, client_->Do(start));
    ASSIGN_OR_RETURN(const std::string upload_id, ParseUploadId(resp.body));
    absl::Status st = SendParts(name, upload_id, src, size);
    if (st.ok()) return absl::OkStatus();
    // Frees the parts stored so far; a failure here leaves them to the bucket's lifecycle rules.
    client_->Do({"DELETE", name, {{"uploadId", upload_id}}, {}, {}}).IgnoreError();
    return st;
  }

  absl::Status SendParts(const std::string& name, const std::string& upload_id, UploadSource& src,
                         uint64_t size) {
    const uint64_t part_size = client_->config().part_size;
    const uint64_t parts = (size + part_size - 1) / part_size;
    if (parts > 10000) {
      return absl::InvalidArgumentError(absl::StrCat(
          "upload ", name, ": ", size, " bytes need more than 10000 parts of part_size"));
    }
    std::vector<std::string> etags(parts);
    std::mutex mu;
    std::condition_variable cv;
    int in_flight = 0;
    absl::Status failed;
    std::vector<std::thread> workers;
    for (uint64_t i = 0; i < parts; ++i) {
      {
        std::unique_lock<std::mutex> l(mu);
        cv.wait(l, [&] { return in_flight < upload_concurrency_ || !failed.ok(); });
        if (!failed.ok()) break;
      }
      absl::StatusOr<std::string> body = ReadUpTo(src, std::min(part_size, size - i * part_size));
      if (body.ok() && body->size() != std::min(part_size, size - i * part_size)) {
        body = ShortSource(name, i * part_size + body->size(), size);
      }
      std::lock_guard<std::mutex> l(mu);
      if (!body.ok()) {
        failed = body.status();
        break;
      }
      ++in_flight;
      workers.emplace_back([&, i, data = *std::move(body)] {
        Call call{"PUT",
                  name,
                  {{"partNumber", absl::StrCat(i + 1)}, {"uploadId", upload_id}},
                  UploadHeaders(data, false),
                  data};
        absl::StatusOr<HttpResponse> r = client_->Do(call);
        std::lock_guard<std::mutex> l(mu);
        --in_flight;
        if (r.ok() && r->headers.count("etag") == 0) {
          r = absl::DataLossError(absl::StrCat("upload ", name, " part ", i + 1, ": no ETag"));
        }
        if (r.ok()) {
          etags[i] = r->headers["etag"];
        } else if (failed.ok()) {
          failed = r.status();
        }
        cv.notify_all();
      });
    }
    for (std::thread& t : workers) t.join();
    RETURN_IF_ERROR(failed);
    const std::string xml = CompleteMultipartUploadXml(etags);
    return client_
        ->Do({"POST", name, {{"uploadId", upload_id}}, {{"Content-Type", "application/xml"}}, xml})
        .status();
  }

  const std::unique_ptr<Client> client_;
  const int upload_concurrency_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Bucket>> NewBucket(const S3Config& config,
                                                  const ClientOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Client> client, NewClient(config, options));
  return std::unique_ptr<Bucket>(
      new S3Bucket(std::move(client), std::max(1, options.upload_concurrency)));
}

}  // namespace argus::objstore::s3
