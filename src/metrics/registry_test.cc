#include "metrics/registry.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrics/process_collector.h"

namespace argus::metrics {
namespace {

using ::testing::HasSubstr;

TEST(RegistryTest, ConcurrentIncrementsAreExact) {
  Registry reg;
  CounterVec& requests = reg.AddCounterVec("requests_total", "Requests.", {"code"});
  Gauge& inflight = reg.AddGauge("inflight", "In flight.");
  Histogram& latency = reg.AddHistogram("latency_seconds", "Latency.", {0.1, 1});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Counter& ok = requests.WithLabelValues({"200"});  // resolved once per thread
      Counter& mine = requests.WithLabelValues({t % 2 ? "500" : "404"});
      for (int i = 0; i < kPerThread; ++i) {
        ok.Inc();
        mine.Add(2);
        inflight.Inc();
        inflight.Dec();
        latency.Observe(i % 3 == 0 ? 0.05 : 0.5);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(requests.WithLabelValues({"200"}).Value(), kThreads * kPerThread);
  EXPECT_EQ(requests.WithLabelValues({"404"}).Value(), kThreads / 2 * kPerThread * 2);
  EXPECT_EQ(requests.WithLabelValues({"500"}).Value(), kThreads / 2 * kPerThread * 2);
  EXPECT_EQ(inflight.Value(), 0);
  Histogram::Snapshot s = latency.Read();
  const uint64_t total = uint64_t{kThreads} * kPerThread;
  const uint64_t small = uint64_t{kThreads} * ((kPerThread + 2) / 3);
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{small, total, total}));
}

TEST(RegistryTest, ExpositionIsSortedAndComplete) {
  Registry reg;
  reg.AddGauge("zeta", "Last.").Set(2.5);
  reg.AddCounterVec("alpha_total", "First.", {"handler", "code"})
      .WithLabelValues({"/metrics", "200"})
      .Inc();
  reg.AddHistogram("mid_seconds", "Middle.", {0.5}).Observe(0.25);
  std::string text = reg.ExpositionText();
  EXPECT_EQ(text,
            "# HELP alpha_total First.\n"
            "# TYPE alpha_total counter\n"
            "alpha_total{handler=\"/metrics\",code=\"200\"} 1\n"
            "# HELP mid_seconds Middle.\n"
            "# TYPE mid_seconds histogram\n"
            "mid_seconds_bucket{le=\"0.5\"} 1\n"
            "mid_seconds_bucket{le=\"+Inf\"} 1\n"
            "mid_seconds_sum 0.25\n"
            "mid_seconds_count 1\n"
            "# HELP zeta Last.\n"
            "# TYPE zeta gauge\n"
            "zeta 2.5\n");
}

TEST(RegistryTest, CollectorsAndProcessMetrics) {
  Registry reg;
  RegisterProcessCollector(reg);
  reg.AddCollector([](std::vector<FamilySnapshot>* out) {
    out->push_back(
        {"argus_test_items", "Items.", MetricType::kGauge, {{"argus_test_items", {}, 7}}});
  });
  std::string text = reg.ExpositionText();
  EXPECT_THAT(text, HasSubstr("argus_test_items 7\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter\n"));
  EXPECT_THAT(text, HasSubstr("process_resident_memory_bytes "));
  EXPECT_THAT(text, HasSubstr("argus_build_info{branch="));
  for (const FamilySnapshot& f : reg.Gather()) {
    if (f.name == "process_resident_memory_bytes") {
      EXPECT_GT(f.samples[0].value, 1e6);
    } else if (f.name == "process_start_time_seconds") {
      EXPECT_GT(f.samples[0].value, 1.6e9);
    } else if (f.name == "process_open_fds") {
      EXPECT_GE(f.samples[0].value, 3);
    }
  }
}

TEST(RegistryTest, NameValidation) {
  EXPECT_TRUE(IsValidMetricName("http_requests_total"));
  EXPECT_TRUE(IsValidMetricName("job:rate5m"));
  EXPECT_FALSE(IsValidMetricName("1abc"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_TRUE(IsValidLabelName("code"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(RegistryDeathTest, DuplicateRegistrationAborts) {
  Registry reg;
  reg.AddCounter("x_total", "X.");
  EXPECT_DEATH(reg.AddCounter("x_total", "X again."), "registered twice");
}

}  // namespace
}  // namespace argus::metrics
