#include "scrape/fetcher.h"

#include <future>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "http/server.h"
#include "metrics/registry.h"

namespace argus::scrape {
namespace {

class FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/metrics", "/metrics", [this](const http::Request& req, http::Response& resp) {
      seen_accept_ = req.Header("Accept");
      seen_timeout_ = req.Header("X-Prometheus-Scrape-Timeout-Seconds");
      seen_agent_ = req.Header("User-Agent");
      seen_auth_ = req.Header("Authorization");
      resp.content_type = "text/plain; version=0.0.4";
      resp.body = big_body_;
    });
    server_.Get("/slow", "/slow", [](const http::Request&, http::Response& resp) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      resp.body = "late 1\n";
    });
    server_.Get("/missing", "/missing", [](const http::Request&, http::Response& resp) {
      resp.status = 404;
      resp.body = "nope";
    });
    ASSERT_TRUE(server_.Start("127.0.0.1:0").ok());
    for (int i = 0; i < 2000; ++i) absl::StrAppend(&big_body_, "metric_", i, " ", i, "\n");
  }
  void TearDown() override { server_.Shutdown(); }

  std::string Url(absl::string_view path) {
    return absl::StrCat("http://127.0.0.1:", server_.port(), path);
  }
  FetchResult Get(FetchRequest req) {
    std::promise<FetchResult> p;
    fetcher_.Fetch(std::move(req), [&p](FetchResult r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  static http::ServerOptions Options() {
    http::ServerOptions o;
    o.threads = 64;
    o.keep_alive_timeout_seconds = 1;  // the fetcher keeps connections; let Shutdown be quick
    return o;
  }

  metrics::Registry registry_;
  http::Server server_{registry_, Options()};
  Fetcher fetcher_;
  std::string big_body_;
  std::string seen_accept_, seen_timeout_, seen_agent_, seen_auth_;
};

TEST_F(FetcherTest, FetchesWithPrometheusHeadersAndGzip) {
  FetchRequest req;
  req.url = Url("/metrics");
  req.timeout = absl::Milliseconds(2500);
  req.headers.push_back("Authorization: Bearer tok");
  FetchResult r = Get(req);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.body, big_body_);  // sent gzipped (the server compresses), read back whole
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4");
  EXPECT_EQ(seen_accept_,
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
  EXPECT_EQ(seen_timeout_, "2.5");
  EXPECT_EQ(seen_agent_.rfind("Argus/", 0), 0u) << seen_agent_;
  EXPECT_EQ(seen_auth_, "Bearer tok");
}

TEST_F(FetcherTest, ErrorsNameTheProblem) {
  FetchRequest req;
  req.url = Url("/missing");
  FetchResult r = Get(req);
  EXPECT_EQ(r.status.message(), "server returned HTTP status 404 Not Found");

  req.url = Url("/slow");
  req.timeout = absl::Milliseconds(200);
  EXPECT_EQ(Get(req).status.code(), absl::StatusCode::kDeadlineExceeded);

  req.url = Url("/metrics");
  req.timeout = absl::Seconds(5);
  req.body_size_limit = 1000;
  EXPECT_EQ(Get(req).status.message(), "body size limit exceeded");

  req.url = "http://127.0.0.1:1/metrics";  // nothing listens there
  r = Get(req);
  EXPECT_EQ(r.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(r.status.message().find("127.0.0.1:1"), absl::string_view::npos) << r.status;
}

TEST_F(FetcherTest, ManyConcurrentFetchesOnOneThread) {
  constexpr int kFetches = 48;
  std::atomic<int> ok{0}, done{0};
  std::promise<void> all;
  for (int i = 0; i < kFetches; ++i) {
    FetchRequest req;
    req.url = Url("/metrics");
    // 48 big bodies through the test server's few threads take seconds under ASan and a
    // loaded CI machine; the test is about all of them arriving, not about their speed.
    req.timeout = absl::Seconds(60);
    fetcher_.Fetch(req, [&](FetchResult r) {
      if (r.status.ok() && r.body == big_body_) ++ok;
      if (++done == kFetches) all.set_value();
    });
  }
  all.get_future().wait();
  EXPECT_EQ(ok.load(), kFetches);
}

TEST_F(FetcherTest, DestroyingTheFetcherCancelsPendingFetches) {
  absl::Status got;
  {
    Fetcher f;
    FetchRequest req;
    req.url = Url("/slow");
    f.Fetch(req, [&](FetchResult r) { got = r.status; });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(got.code(), absl::StatusCode::kCancelled) << got;
}

}  // namespace
}  // namespace argus::scrape
