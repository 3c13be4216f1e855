#include "store/block_index.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status.h"
#include "tsdb/querier/querier.h"

namespace argus::store {
namespace {

namespace index = tsdb::index;
using Key = std::pair<std::string, std::string>;

// Label names and values from the index-header; postings requests are recorded and answered
// empty. PostingsForMatchers asks for the same lists whatever they hold, so a first pass over
// this view tells which lists to fetch.
class KeyRecorder : public tsdb::IndexView {
 public:
  explicit KeyRecorder(const IndexHeader& header) : header_(header) {}
  absl::StatusOr<index::PostingsList> Postings(absl::string_view name,
                                               absl::string_view value) const override {
    keys_.emplace_back(std::string(name), std::string(value));
    return index::PostingsList{};
  }
  absl::StatusOr<index::PostingsList> AllPostings() const override { return Postings("", ""); }
  std::vector<std::string> LabelValues(absl::string_view name) const override {
    return header_.LabelValues(name);
  }
  std::vector<std::string> LabelNames() const override { return header_.LabelNames(); }
  absl::StatusOr<labels::Labels> SeriesLabels(uint64_t) const override {
    return absl::UnimplementedError("series labels of a bucket block need a fetch");
  }
  // The recorded keys without duplicates.
  std::vector<Key> Keys() const {
    std::vector<Key> out = keys_;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 protected:
  const IndexHeader& header_;

 private:
  mutable std::vector<Key> keys_;
};

// The second pass: the same view answering from the fetched lists.
class FetchedView : public KeyRecorder {
 public:
  FetchedView(const IndexHeader& header, absl::flat_hash_map<Key, index::PostingsList> lists)
      : KeyRecorder(header), lists_(std::move(lists)) {}
  absl::StatusOr<index::PostingsList> Postings(absl::string_view name,
                                               absl::string_view value) const override {
    auto it = lists_.find(Key(name, value));
    return it == lists_.end() ? index::PostingsList{} : it->second;
  }
  absl::StatusOr<index::PostingsList> AllPostings() const override { return Postings("", ""); }

 private:
  absl::flat_hash_map<Key, index::PostingsList> lists_;
};

std::string PostingsCacheKey(const Key& k) {
  return absl::StrCat(k.first, absl::string_view("\0", 1), k.second);  // names hold no NUL
}

std::string SeriesCacheKey(uint64_t ref) {
  std::string key;
  PutBE64(&key, ref);
  return key;
}

}  // namespace

BlockIndex::BlockIndex(objstore::Bucket& bucket, std::string block_id, const IndexHeader& header,
                       IndexCache* cache)
    : bucket_(bucket),
      block_id_(std::move(block_id)),
      index_name_(absl::StrCat(block_id_, "/index")),
      header_(header),
      cache_(cache) {}

absl::Status BlockIndex::Corrupt(const absl::Status& s, uint64_t offset) const {
  return absl::Status(s.code(),
                      absl::StrCat(index_name_, ": ", s.message(), " at offset ", offset));
}

absl::StatusOr<index::PostingsList> BlockIndex::Postings(
    const std::vector<labels::Matcher>& matchers, storeapi::QueryBudget* budget,
    FetchCount* count) const {
  KeyRecorder recorder(header_);
  RETURN_IF_ERROR(tsdb::PostingsForMatchers(recorder, matchers).status());
  const std::vector<Key> keys = recorder.Keys();
  ASSIGN_OR_RETURN(std::vector<index::PostingsList> lists, FetchPostings(keys, budget, count));
  absl::flat_hash_map<Key, index::PostingsList> by_key;
  for (size_t i = 0; i < keys.size(); ++i) by_key.emplace(keys[i], std::move(lists[i]));
  return tsdb::PostingsForMatchers(FetchedView(header_, std::move(by_key)), matchers);
}

absl::StatusOr<std::vector<index::PostingsList>> BlockIndex::FetchPostings(
    const std::vector<Key>& keys, storeapi::QueryBudget* budget, FetchCount* count) const {
  std::vector<index::PostingsList> out(keys.size());
  std::vector<std::shared_ptr<const std::string>> bodies(keys.size());
  std::vector<ByteRange> ranges(keys.size());
  std::vector<ByteRange> missing;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (cache_ != nullptr)
      bodies[i] = cache_->Get(block_id_, CacheKind::kPostings, PostingsCacheKey(keys[i]));
    if (bodies[i] != nullptr) {
      RETURN_IF_ERROR(budget->Reserve(bodies[i]->size()));
      continue;
    }
    std::optional<ByteRange> r = header_.PostingsRange(keys[i].first, keys[i].second);
    if (!r.has_value()) continue;  // no series has the label: an empty list
    ranges[i] = *r;
    missing.push_back(*r);
  }
  ASSIGN_OR_RETURN(FetchedRanges fetched,
                   FetchedRanges::Fetch(bucket_, index_name_, std::move(missing),
                                        header_.index_size(), budget, count));
  for (size_t i = 0; i < keys.size(); ++i) {
    if (bodies[i] == nullptr && ranges[i].length != 0) {
      const ByteRange r = ranges[i];
      absl::StatusOr<absl::string_view> body =
          index::DecodeSection(fetched.From(r.offset).substr(0, r.length), "postings list");
      if (!body.ok()) return Corrupt(body.status(), r.offset);
      bodies[i] = std::make_shared<const std::string>(*body);
      if (cache_ != nullptr) {
        cache_->Put(block_id_, CacheKind::kPostings, PostingsCacheKey(keys[i]), bodies[i]);
      }
    }
    if (bodies[i] == nullptr) continue;
    absl::StatusOr<index::PostingsList> list = index::DecodePostings(*bodies[i]);
    if (!list.ok()) return Corrupt(list.status(), ranges[i].offset);
    out[i] = *std::move(list);
  }
  return out;
}

absl::StatusOr<std::string> BlockIndex::SeriesBytes(uint64_t ref, const FetchedRanges& fetched,
                                                    storeapi::QueryBudget* budget,
                                                    FetchCount* count) const {
  const uint64_t off = ref * 16;
  absl::string_view from = fetched.From(off);
  const std::optional<uint64_t> size = index::SeriesEntrySize(from);
  if (!size.has_value() || *size > header_.index_size() - std::min(off, header_.index_size())) {
    return Corrupt(absl::DataLossError("truncated series entry"), off);
  }
  if (*size <= from.size()) return std::string(from.substr(0, *size));
  // Longer than the estimate: read it whole.
  RETURN_IF_ERROR(budget->Reserve(*size));
  ++count->requests;
  count->bytes += *size;
  return ReadRange(bucket_, index_name_, off, *size);
}

absl::StatusOr<std::vector<index::SeriesEntry>> BlockIndex::Series(const index::PostingsList& refs,
                                                                   storeapi::QueryBudget* budget,
                                                                   FetchCount* count) const {
  std::vector<std::shared_ptr<const std::string>> bytes(refs.size());
  std::vector<ByteRange> missing;
  for (size_t i = 0; i < refs.size(); ++i) {
    if (cache_ != nullptr) {
      bytes[i] = cache_->Get(block_id_, CacheKind::kSeries, SeriesCacheKey(refs[i]));
    }
    if (bytes[i] != nullptr) {
      RETURN_IF_ERROR(budget->Reserve(bytes[i]->size()));
    } else {
      missing.push_back({refs[i] * 16, kEstimatedMaxSeriesSize});
    }
  }
  ASSIGN_OR_RETURN(FetchedRanges fetched,
                   FetchedRanges::Fetch(bucket_, index_name_, std::move(missing),
                                        header_.index_size(), budget, count));
  std::vector<index::SeriesEntry> out;
  out.reserve(refs.size());
  const index::SymbolFn symbol = [this](uint32_t i) { return header_.Symbol(i); };
  for (size_t i = 0; i < refs.size(); ++i) {
    const bool from_bucket = bytes[i] == nullptr;
    if (from_bucket) {
      ASSIGN_OR_RETURN(std::string b, SeriesBytes(refs[i], fetched, budget, count));
      bytes[i] = std::make_shared<const std::string>(std::move(b));
    }
    absl::StatusOr<index::SeriesEntry> e = index::DecodeSeriesEntry(*bytes[i], symbol);
    if (!e.ok()) return Corrupt(e.status(), refs[i] * 16);
    if (from_bucket && cache_ != nullptr) {
      cache_->Put(block_id_, CacheKind::kSeries, SeriesCacheKey(refs[i]), bytes[i]);
    }
    out.push_back(*std::move(e));
  }
  return out;
}

}  // namespace argus::store
