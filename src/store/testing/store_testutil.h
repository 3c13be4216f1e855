// Test helpers for the store gateway: blocks made by Argus's backfill or the real promtool,
// uploaded to a bucket as the shipper does, and a bucket that records the ranges read.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "model/labels/labels.h"
#include "objstore/bucket.h"
#include "storeapi/source.h"

namespace argus::store::testing {

// OpenMetrics text: `series` series of metric "m" (labels job, instance, i; every even one also
// opt="x") with a sample every `step_s` seconds over `hours` hours from 1700000000, and one
// series "big" whose label value is `big_value_len` bytes long (none when 0).
std::string OpenMetrics(int series, int hours, int step_s, size_t big_value_len = 0);

// Writes the blocks of `om` into `dir` with Argus's backfill, or with `promtool tsdb
// create-blocks-from openmetrics` when `promtool`; returns their ULIDs, sorted.
absl::StatusOr<std::vector<std::string>> MakeBlocks(const std::string& dir, const std::string& om,
                                                    bool promtool);

// Writes into `dir` a block that passes the store gateway's read estimates: series "a" has one
// chunk of 4000 random samples (over 16 kB), series "b" 20000 one-sample chunks (an index entry
// over 64 kB). Returns its ULID.
absl::StatusOr<std::string> MakeBlockWithLongEntries(const std::string& dir);

// Uploads block `dir`/`id` to `bucket` as the shipper does (chunks, index, then meta.json with
// thanos.labels = `external` and the file sizes).
absl::Status UploadBlock(objstore::Bucket& bucket, const std::string& dir, const std::string& id,
                         const labels::Labels& external);

// Select parameters for all of time with `matchers`.
storeapi::SelectParams AllTime(std::vector<labels::Matcher> matchers);

// A bucket that forwards to another and records every GetRange. Thread-safe.
class RecordingBucket : public objstore::Bucket {
 public:
  struct Read {
    std::string name;
    int64_t offset = 0, length = 0;
  };
  // `inner` must outlive this wrapper.
  explicit RecordingBucket(objstore::Bucket& inner) : inner_(inner) {}

  std::vector<Read> Reads() const;
  // Bytes asked for by GetRange of `name` so far.
  int64_t BytesRead(absl::string_view name) const;
  void Clear();

  std::string Name() const override { return inner_.Name(); }
  absl::Status Upload(absl::string_view name, objstore::UploadSource& src) override {
    return inner_.Upload(name, src);
  }
  absl::Status GetRange(absl::string_view name, int64_t offset, int64_t length,
                        const objstore::ByteSink& sink) override;
  absl::StatusOr<objstore::ObjectAttributes> Attributes(absl::string_view name) override {
    return inner_.Attributes(name);
  }
  absl::Status Iter(absl::string_view dir, bool recursive,
                    const objstore::NameSink& sink) override {
    return inner_.Iter(dir, recursive, sink);
  }
  absl::Status Delete(absl::string_view name) override { return inner_.Delete(name); }

 private:
  objstore::Bucket& inner_;
  mutable std::mutex mu_;
  std::vector<Read> reads_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::store::testing
