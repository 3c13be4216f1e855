// WAL compatibility with the real Prometheus (Debian's 2.42): Argus reads and decodes every
// record of a WAL Prometheus wrote while scraping itself, and Prometheus replays a WAL Argus
// wrote and serves its samples over the HTTP API.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/coding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsdb/record/record.h"
#include "tsdb/wlog/reader.h"
#include "tsdb/wlog/wlog.h"
#include "util/process.h"

namespace argus::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace record = tsdb::record;
namespace wlog = tsdb::wlog;

constexpr char kPrometheus[] = "/usr/bin/prometheus";

// Counts fragment header bytes (type | flags) of the segment files of `dir`.
std::map<int, int> FragmentHeaders(const std::string& dir) {
  std::map<int, int> counts;
  auto segs = wlog::ListSegments(Env::Default(), dir);
  if (!segs.ok()) return counts;
  for (const auto& s : *segs) {
    std::ifstream in(JoinPath(dir, s.name), std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t page = 0; page < data.size(); page += wlog::kPageSize) {
      size_t pos = page;
      const size_t end = std::min(page + wlog::kPageSize, data.size());
      while (pos + wlog::kHeaderSize <= end && data[pos] != 0) {
        ++counts[static_cast<uint8_t>(data[pos])];
        pos += wlog::kHeaderSize + LoadBE16(data.data() + pos + 1);
      }
    }
  }
  return counts;
}

class WalPrometheusCompatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A missing peer is an environment failure, reported loudly rather than skipped.
    ASSERT_TRUE(std::filesystem::exists(kPrometheus))
        << kPrometheus << " is missing: install Debian's prometheus package (2.42)";
    dir_ = ::testing::TempDir() + "/wal_prometheus_compat_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts Prometheus on a free port with `scrape_self` deciding whether it scrapes itself
  // every second; waits until it is ready (nullptr and a test failure if it is not).
  std::unique_ptr<Child> StartPrometheus(const std::string& data, bool scrape_self, int* port,
                                         std::string* log_path) {
    *port = FreePort();
    const std::string config = JoinPath(dir_, "prometheus.yml");
    std::ofstream(config) << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                          << (scrape_self ? absl::StrCat("scrape_configs:\n"
                                                         "  - job_name: prometheus\n"
                                                         "    static_configs:\n"
                                                         "      - targets: ['127.0.0.1:",
                                                         *port, "']\n")
                                          : "");
    *log_path = JoinPath(dir_, "prometheus.log");
    auto child = std::make_unique<Child>(
        std::vector<std::string>{kPrometheus, "--config.file=" + config,
                                 "--storage.tsdb.path=" + data,
                                 absl::StrCat("--web.listen-address=127.0.0.1:", *port)},
        *log_path);
    std::string log;
    EXPECT_TRUE(child->WaitForLog("Server is ready to receive web requests", 60000, &log)) << log;
    return child;
  }

  std::string dir_;
};

TEST_F(WalPrometheusCompatTest, ArgusDecodesEveryRecordOfAPrometheusWal) {
  const std::string data = JoinPath(dir_, "data");
  int port = 0;
  std::string log_path, log;
  auto prom = StartPrometheus(data, /*scrape_self=*/true, &port, &log_path);
  ASSERT_NE(prom, nullptr);
  // Wait for four scrapes of `up` (one per second).
  std::string body;
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (HttpGet(port, "/api/v1/query?query=" + UrlEncode("count_over_time(up[1m])"), &body) ==
            200 &&
        std::regex_search(body, std::regex(R"re("value":\[[0-9.]+,"([4-9]|\d\d+)"\])re"))) {
      break;
    }
  }
  ASSERT_THAT(body, HasSubstr("\"result\":[{")) << body;
  EXPECT_EQ(prom->Stop(SIGTERM), 0);

  const std::string wal = JoinPath(data, "wal");
  auto reader = wlog::NewSegmentsReader(Env::Default(), wal);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::map<record::Type, int> records;
  std::vector<record::RefSeries> series;
  std::vector<record::RefSample> samples;
  while ((*reader)->Next()) {
    const absl::string_view rec = (*reader)->record();
    const record::Type type = record::GetType(rec);
    ++records[type];
    absl::Status s;
    switch (type) {
      case record::Type::kSeries:
        s = record::DecodeSeries(rec, &series);
        break;
      case record::Type::kSamples:
        s = record::DecodeSamples(rec, &samples);
        break;
      case record::Type::kTombstones: {
        std::vector<record::Stone> v;
        s = record::DecodeTombstones(rec, &v);
        break;
      }
      case record::Type::kExemplars: {
        std::vector<record::RefExemplar> v;
        s = record::DecodeExemplars(rec, &v);
        break;
      }
      case record::Type::kMetadata: {
        std::vector<record::RefMetadata> v;
        s = record::DecodeMetadata(rec, &v);
        break;
      }
      default:
        ADD_FAILURE() << "unexpected record type " << static_cast<int>(type);
    }
    ASSERT_TRUE(s.ok()) << s << " in segment " << (*reader)->segment();
  }
  ASSERT_TRUE((*reader)->status().ok()) << (*reader)->status();
  EXPECT_GT(records[record::Type::kSeries], 0);
  EXPECT_GE(records[record::Type::kSamples], 4);  // one per scrape at least
  EXPECT_GT(series.size(), 100u);                 // Prometheus's own metrics
  std::map<uint64_t, std::string> names;
  for (const auto& s : series) names[s.ref] = s.labels.ToString();
  int up_samples = 0;
  for (const auto& s : samples) {
    ASSERT_TRUE(names.count(s.ref)) << "sample of unknown series " << s.ref;
    if (names[s.ref] == R"({__name__="up", instance="127.0.0.1:)" + std::to_string(port) +
                            R"(", job="prometheus"})") {
      EXPECT_EQ(s.v, 1.0);
      ++up_samples;
    }
  }
  EXPECT_GE(up_samples, 4);
  // Prometheus compresses its WAL by default: snappy-flagged fragments must be there.
  std::map<int, int> headers = FragmentHeaders(wal);
  EXPECT_GT(headers[0x09] + headers[0x0a], 0) << "no compressed fragments";
}

TEST_F(WalPrometheusCompatTest, PrometheusReplaysAWalArgusWrote) {
  const std::string data = JoinPath(dir_, "data");
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  constexpr int kSeries = 50;
  constexpr int kSamples = 120;  // one per 10 s: the last 20 minutes
  {
    auto wal = wlog::WAL::Open(Env::Default(), JoinPath(data, "wal"),
                               {.segment_size = 4 * wlog::kPageSize, .compress = true});
    ASSERT_TRUE(wal.ok()) << wal.status();
    std::vector<record::RefSeries> series;
    for (int i = 0; i < kSeries; ++i) {
      series.push_back(
          {static_cast<uint64_t>(i + 1),
           labels::Labels{
               {"__name__", "argus_wal_compat"}, {"idx", std::to_string(i)}, {"job", "argus"}}});
    }
    std::string rec;
    record::EncodeSeries(series, &rec);
    ASSERT_TRUE((*wal)->Log(rec).ok());
    for (int k = 0; k < kSamples; ++k) {
      std::vector<record::RefSample> samples;
      const int64_t t = now_ms - (kSamples - 1 - k) * 10000;
      for (int i = 0; i < kSeries; ++i) {
        samples.push_back({static_cast<uint64_t>(i + 1), t, i * 1000.0 + k});
      }
      rec.clear();
      record::EncodeSamples(samples, &rec);
      ASSERT_TRUE((*wal)->Log(rec).ok());
      if (k % 40 == 39) {
        ASSERT_TRUE((*wal)->NextSegment().ok());  // replay spans segments
      }
    }
    ASSERT_TRUE((*wal)->Close().ok());
    EXPECT_GT((*wal)->stats().compressed_records, 0u);
    EXPECT_EQ((*wal)->stats().segments_created, 4u);
  }
  std::map<int, int> headers = FragmentHeaders(JoinPath(data, "wal"));
  ASSERT_GT(headers[0x09], 0) << "no compressed fragments written";

  int port = 0;
  std::string log_path, log;
  auto prom = StartPrometheus(data, /*scrape_self=*/false, &port, &log_path);
  ASSERT_NE(prom, nullptr);
  const double last_t = static_cast<double>(now_ms) / 1000.0;
  std::string body;
  ASSERT_EQ(HttpGet(port,
                    absl::StrFormat("/api/v1/query?query=%s&time=%.3f",
                                    UrlEncode("count(argus_wal_compat)"), last_t),
                    &body),
            200)
      << body;
  EXPECT_THAT(body, HasSubstr(absl::StrCat("\"", kSeries, "\"]"))) << body;
  ASSERT_EQ(HttpGet(port,
                    absl::StrFormat("/api/v1/query?query=%s&time=%.3f",
                                    UrlEncode("argus_wal_compat{idx=\"7\"}"), last_t),
                    &body),
            200);
  EXPECT_THAT(body, HasSubstr(absl::StrCat("\"", 7 * 1000 + kSamples - 1, "\"]"))) << body;
  // Every sample was replayed: 120 per series over the last 20 minutes.
  ASSERT_EQ(
      HttpGet(port,
              absl::StrFormat("/api/v1/query?query=%s&time=%.3f",
                              UrlEncode("sum(count_over_time(argus_wal_compat[1h]))"), last_t),
              &body),
      200);
  EXPECT_THAT(body, HasSubstr(absl::StrCat("\"", kSeries * kSamples, "\"]"))) << body;
  EXPECT_EQ(prom->Stop(SIGTERM), 0);
  std::ifstream in(log_path);
  log.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  EXPECT_THAT(log, HasSubstr("WAL replay completed"));
  EXPECT_THAT(log, Not(HasSubstr("corruption")));
  EXPECT_THAT(log, Not(HasSubstr("Unknown series references")));
}

}  // namespace
}  // namespace argus::testing
