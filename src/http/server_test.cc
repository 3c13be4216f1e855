#include "http/server.h"

#include <zlib.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace argus::http {
namespace {

using ::testing::HasSubstr;

std::string Gunzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 16 + MAX_WBITS), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16384];
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  } while (rc == Z_OK);
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&zs);
  return out;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.AddStandardEndpoints("Argus Test", [this] { return ready_.load(); });
    server_.GetPost("/api/v1/echo", "/api/v1/echo", [](const Request& req, Response& res) {
      res.content_type = "application/json";
      res.body = std::string("{\"method\":\"") + std::string(req.method()) + "\",\"q\":\"" +
                 req.Param("query") + "\",\"n\":" + std::to_string(req.Params("match[]").size()) +
                 "}";
    });
    server_.Get(R"(/api/v1/label/([^/]+)/values)", "/api/v1/label/:name/values",
                [](const Request& req, Response& res) { res.body = req.PathParam(1); });
    server_.Get("/big", "/big",
                [](const Request&, Response& res) { res.body = std::string(100000, 'a'); });
    ASSERT_TRUE(server_.Start("127.0.0.1:0").ok());
    ASSERT_GT(server_.port(), 0);
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_.port());
    c.set_decompress(false);
    return c;
  }

  metrics::Registry registry_;
  Server server_{registry_};
  std::atomic<bool> ready_{false};
};

TEST_F(ServerTest, ProbesAndReadiness) {
  auto c = Client();
  auto healthy = c.Get("/-/healthy");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);
  EXPECT_EQ(healthy->body, "Argus Test is Healthy.\n");
  auto not_ready = c.Get("/-/ready");
  ASSERT_TRUE(not_ready);
  EXPECT_EQ(not_ready->status, 503);
  ready_ = true;
  EXPECT_EQ(c.Get("/-/ready")->status, 200);
  EXPECT_EQ(c.Get("/nope")->status, 404);
}

TEST_F(ServerTest, GetAndFormPostParameters) {
  auto c = Client();
  auto get = c.Get("/api/v1/echo?query=up&match[]=a&match[]=b");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body, R"({"method":"GET","q":"up","n":2})");
  auto post = c.Post("/api/v1/echo", "query=sum%28up%29&match%5B%5D=x",
                     "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->body, R"x({"method":"POST","q":"sum(up)","n":1})x");
  auto label = c.Get("/api/v1/label/job/values");
  ASSERT_TRUE(label);
  EXPECT_EQ(label->body, "job");
}

TEST_F(ServerTest, GzipWhenAccepted) {
  auto c = Client();
  auto plain = c.Get("/big");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(plain->body.size(), 100000u);
  auto gz = c.Get("/big", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(gz->body.size(), 1000u);
  EXPECT_EQ(Gunzip(gz->body), std::string(100000, 'a'));
}

TEST_F(ServerTest, RequestMetrics) {
  auto c = Client();
  for (int i = 0; i < 3; ++i) c.Get("/-/healthy");
  c.Get("/-/ready");
  auto m = c.Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_THAT(m->get_header_value("Content-Type"), HasSubstr("version=0.0.4"));
  EXPECT_THAT(m->body, HasSubstr("http_requests_total{handler=\"/-/healthy\",code=\"200\"} 3\n"));
  EXPECT_THAT(m->body, HasSubstr("http_requests_total{handler=\"/-/ready\",code=\"503\"} 1\n"));
  EXPECT_THAT(m->body,
              HasSubstr("http_request_duration_seconds_count{handler=\"/-/healthy\"} 3\n"));
}

// A handler sees the client hang up mid-request, and a client still waiting is not "gone".
TEST(ServerClientGoneTest, SeesTheClientHangUp) {
  metrics::Registry registry;
  Server server(registry);
  std::atomic<int> seen{-1};  // -1 running, 0 timed out waiting, 1 saw the hang-up
  server.Get("/wait", "/wait", [&seen](const Request& req, Response& res) {
    const bool initially = req.ClientGone();
    for (int i = 0; i < 500 && !req.ClientGone(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    seen = !initially && req.ClientGone() ? 1 : 0;
    res.body = "done";
  });
  server.Get("/quick", "/quick", [](const Request& req, Response& res) {
    res.body = req.ClientGone() ? "gone" : "here";
  });
  ASSERT_TRUE(server.Start("127.0.0.1:0").ok());

  httplib::Client patient("127.0.0.1", server.port());
  auto quick = patient.Get("/quick");
  ASSERT_TRUE(quick);
  EXPECT_EQ(quick->body, "here");

  httplib::Client hasty("127.0.0.1", server.port());
  hasty.set_read_timeout(0, 200000);  // gives up after 200 ms and closes the connection
  EXPECT_FALSE(hasty.Get("/wait"));
  hasty.stop();
  for (int i = 0; i < 500 && seen == -1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(seen, 1);
}

TEST(ServerStartTest, BadAddressAndPortInUse) {
  metrics::Registry r1, r2;
  Server a(r1), b(r2);
  EXPECT_EQ(a.Start("nonsense").code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(a.Start("127.0.0.1:0").ok());
  absl::Status s = b.Start("127.0.0.1:" + std::to_string(a.port()));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  a.Shutdown();
  a.Shutdown();  // idempotent
}

}  // namespace
}  // namespace argus::http
