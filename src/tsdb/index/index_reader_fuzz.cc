// libFuzzer target for the index reader: the input is an index file in an in-memory Env. After
// IndexReader::Open the fuzzer reads every symbol, every label name and value, the postings of
// every pair (the all-postings key included) and every series those postings name. Each call
// must succeed or fail with DataLoss, never crash. Random bytes rarely carry valid CRC32Cs, so
// each input is read twice: as given, and with the CRCs of the TOC, the symbol table, the
// postings offset table, the postings lists and the series entries recomputed, which lets
// mutations reach the parsing behind the checksums. Seeds: `-write_seeds=DIR` writes index files
// made by index::IndexWriter.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"
#include "fuzz/fuzz_util.h"
#include "tsdb/index/index_reader.h"
#include "tsdb/index/index_writer.h"

namespace argus::tsdb::index {
namespace {

using fuzz::Require;

constexpr char kPath[] = "/block/index";

void ReadIndex(absl::string_view file) {
  fuzz::MemEnv env;
  env.AddFile(kPath, file);
  absl::StatusOr<std::unique_ptr<IndexReader>> opened = IndexReader::Open(&env, kPath);
  if (!opened.ok()) {
    fuzz::RequireOkOr(opened.status(), absl::StatusCode::kDataLoss, "IndexReader::Open");
    return;
  }
  const IndexReader& r = **opened;
  for (uint32_t i = 0; i < r.num_symbols(); ++i) {
    fuzz::RequireOkOr(r.Symbol(i).status(), absl::StatusCode::kDataLoss, "Symbol");
  }
  Require(r.Symbol(static_cast<uint32_t>(r.num_symbols())).status().code() ==
              absl::StatusCode::kDataLoss,
          "Symbol(num_symbols()) must fail with DataLoss");

  std::vector<std::string> names = r.LabelNames();
  names.insert(names.begin(), "");     // the all-postings key
  absl::flat_hash_set<uint64_t> seen;  // series read already
  for (const std::string& name : names) {
    for (const std::string& value : r.LabelValues(name)) {
      absl::StatusOr<std::vector<uint64_t>> postings = r.Postings(name, value);
      fuzz::RequireOkOr(postings.status(), absl::StatusCode::kDataLoss, "Postings");
      if (!postings.ok()) continue;
      for (uint64_t ref : *postings) {
        if (!seen.insert(ref).second) continue;
        absl::StatusOr<SeriesEntry> series = r.Series(ref);
        fuzz::RequireOkOr(series.status(), absl::StatusCode::kDataLoss, "Series");
        if (!series.ok()) continue;
        // What callers do with a series' labels: print and hash them.
        (void)series->labels.ToString();
        (void)series->labels.Hash();
      }
    }
  }
}

// `file` with the CRC32C of every section IndexReader checks recomputed; the walk mirrors the
// reader's (TOC -> symbol table and postings offset table -> postings lists -> series entries).
std::string FixChecksums(absl::string_view in) {
  std::string s(in);
  if (s.size() < 5 + kTocSize) return s;
  const size_t toc = s.size() - kTocSize;
  // Recomputes the CRC of the section at `off` (be32 length | data | crc32c); its data, or
  // empty when the section does not fit in the file.
  auto fix_section = [&s](uint64_t off) -> absl::string_view {
    if (off > s.size() || s.size() - off < 4) return {};
    const uint32_t len = LoadBE32(s.data() + off);
    if (s.size() - off - 4 < static_cast<uint64_t>(len) + 4) return {};
    const absl::string_view data(s.data() + off + 4, len);
    StoreBE32(s.data() + off + 4 + len, Crc32c(data));
    return data;
  };
  fix_section(LoadBE64(s.data() + toc));  // symbol table
  std::set<uint64_t> lists;
  Decoder table(fix_section(LoadBE64(s.data() + toc + 40)));
  const uint32_t entries = table.BE32();
  for (uint32_t i = 0; i < entries && table.ok(); ++i) {
    table.Uvarint();
    table.UvarintBytes();
    table.UvarintBytes();
    const uint64_t off = table.Uvarint();
    if (table.ok()) lists.insert(off);
  }
  std::set<uint64_t> series;
  for (uint64_t off : lists) {
    Decoder list(fix_section(off));
    const uint32_t n = list.BE32();
    for (uint32_t i = 0; i < n && list.remaining() >= 4; ++i) series.insert(list.BE32());
  }
  for (uint64_t ref : series) {
    const uint64_t off = ref * 16;
    if (off >= s.size()) continue;
    Decoder d(absl::string_view(s).substr(off));
    const uint64_t len = d.Uvarint();
    const absl::string_view body = d.Bytes(len);
    if (!d.ok() || d.remaining() < 4) continue;
    StoreBE32(s.data() + off + d.position(), Crc32c(body));
  }
  StoreBE32(s.data() + s.size() - 4, Crc32c(absl::string_view(s).substr(toc, kTocSize - 4)));
  return s;
}

// Seeds: index files written by IndexWriter: empty, the unit test's sample, and a few dozen
// series with several labels and chunks.
absl::Status WriteSeeds(const std::string& corpus) {
  using labels::Labels;
  struct Series {
    Labels labels;
    std::vector<ChunkMeta> chunks;
  };
  std::vector<std::pair<std::string, std::vector<Series>>> seeds;
  seeds.push_back({"empty", {}});
  seeds.push_back(
      {"sample",
       {{Labels{{"__name__", "a"}, {"code", "200"}}, {{0, 99, 8}, {100, 199, 60}, {250, 300, 40}}},
        {Labels{{"__name__", "a"}, {"code", "500"}}, {{-5, 5, 120}}},
        {Labels{{"__name__", "up"}, {"job", "a"}}, {}}}});
  std::vector<Series> many;
  for (int i = 0; i < 24; ++i) {
    std::vector<ChunkMeta> chunks;
    for (int c = 0; c < i % 4; ++c) {
      chunks.push_back({c * 7200000L, c * 7200000L + 7199999, static_cast<uint64_t>(8 + 128 * c)});
    }
    many.push_back({Labels{{"__name__", absl::StrCat("metric_", i % 3)},
                           {"instance", absl::StrCat("host-", i, ":9100")},
                           {"job", i % 2 == 0 ? "node" : "api"}},
                    std::move(chunks)});
  }
  seeds.push_back({"many", std::move(many)});

  ASSIGN_OR_RETURN(const std::string tmp, fuzz::MakeTempDir("argus_index_seeds"));
  Env* env = Env::Default();
  absl::Status status;
  // (Named pairs, not structured bindings: clang 14 cannot capture those in a lambda.)
  for (auto& seed : seeds) {
    const std::string& name = seed.first;
    std::vector<Series>& series = seed.second;
    std::sort(series.begin(), series.end(),
              [](const Series& a, const Series& b) { return a.labels < b.labels; });
    std::set<std::string> symbols;
    for (const Series& s : series) {
      for (const labels::Label& l : s.labels) {
        symbols.insert(l.name);
        symbols.insert(l.value);
      }
    }
    const std::string path = JoinPath(tmp, name);
    status = [&]() -> absl::Status {
      ASSIGN_OR_RETURN(std::unique_ptr<IndexWriter> w, IndexWriter::Create(env, path));
      RETURN_IF_ERROR(w->AddSymbols({symbols.begin(), symbols.end()}));
      for (const Series& s : series) RETURN_IF_ERROR(w->AddSeries(s.labels, s.chunks));
      RETURN_IF_ERROR(w->Close());
      ASSIGN_OR_RETURN(const std::string bytes, env->ReadFile(path));
      return fuzz::WriteSeed(corpus, name, bytes);
    }();
    if (!status.ok()) break;
  }
  (void)env->RemoveAll(tmp);
  return status;
}

}  // namespace
}  // namespace argus::tsdb::index

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  argus::fuzz::MaybeWriteSeeds(*argc, *argv, argus::tsdb::index::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view in(reinterpret_cast<const char*>(data), size);
  argus::tsdb::index::ReadIndex(in);
  const std::string fixed = argus::tsdb::index::FixChecksums(in);
  if (fixed != in) argus::tsdb::index::ReadIndex(fixed);
  return 0;
}
