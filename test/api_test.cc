// The Prometheus HTTP API of `argus server` end to end: a data directory with blocks written by
// `argus tools tsdb create-blocks-from openmetrics` (plus the server scraping itself, for head
// data), and every /api/v1 query endpoint's JSON and error cases as Prometheus 2.42 answers
// them, including the limits (--query.max-samples, the timeout parameter) and that a normal
// query works right after those.
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "util/process.h"

namespace argus {
namespace {

using ::testing::HasSubstr;
using testing::UrlEncode;
using json = nlohmann::json;

constexpr int64_t kT0 = 1600000000;  // first sample, unix seconds; one every 15 s for an hour

struct Reply {
  int code = -1;
  std::string body;
  json j;
};

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::TestDir("api_test"));
    std::ofstream om(*dir_ + "/data.om");
    om << "# TYPE http_requests_total counter\n";
    for (const char* job : {"api", "web"}) {
      for (int i = 0; i < 240; ++i) {
        om << "http_requests_total{job=\"" << job << "\",code=\"200\"} "
           << (job[0] == 'a' ? i : 2 * i) << " " << kT0 + 15 * i << "\n";
      }
    }
    for (int i = 0; i < 240; ++i)
      om << "temp{room=\"a<b\"} " << 0.5 * i << " " << kT0 + 15 * i << "\n";
    om << "tiny 1e-07 " << kT0 << "\n# EOF\n";
    om.close();
    testing::CommandResult r =
        testing::RunCommand({testing::ArgusBinary(), "tools", "tsdb", "create-blocks-from",
                             "openmetrics", *dir_ + "/data.om", *dir_ + "/data"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    port_ = testing::FreePort();
    std::ofstream(*dir_ + "/prometheus.yml")
        << "global: {scrape_interval: 1s}\nscrape_configs:\n- job_name: argus\n"
        << "  static_configs: [{targets: ['127.0.0.1:" << port_ << "']}]\n";
    std::string log;
    server_ = testing::StartServer({.command = {testing::ArgusBinary(), "server"},
                                    .config_file = *dir_ + "/prometheus.yml",
                                    .data_dir = *dir_ + "/data",
                                    .extra_flags = {"--query.max-samples=400"},
                                    .log_path = *dir_ + "/argus.log"},
                                   &port_, &log)
                  .release();
    ASSERT_NE(server_, nullptr) << log;
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static Reply Get(const std::string& path) {
    Reply r;
    r.code = testing::HttpGet(port_, path, &r.body);
    r.j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    return r;
  }
  static Reply Post(const std::string& path, const std::string& form) {
    Reply r;
    r.code = testing::HttpPost(port_, path, form, &r.body);
    r.j = json::parse(r.body, nullptr, false);
    return r;
  }
  // Expects a Prometheus error answer.
  static void ExpectError(const Reply& r, int code, const std::string& type,
                          const std::string& message) {
    EXPECT_EQ(r.code, code) << r.body;
    EXPECT_EQ(r.j.value("status", ""), "error") << r.body;
    EXPECT_EQ(r.j.value("errorType", ""), type) << r.body;
    EXPECT_THAT(r.j.value("error", ""), HasSubstr(message)) << r.body;
    EXPECT_FALSE(r.j.contains("data")) << r.body;
  }

  static std::string* dir_;
  static int port_;
  static testing::Child* server_;
};

std::string* ApiTest::dir_ = nullptr;
int ApiTest::port_ = 0;
testing::Child* ApiTest::server_ = nullptr;

TEST_F(ApiTest, InstantQueryVectorExactly) {
  const Reply r = Get(absl::StrCat(
      "/api/v1/query?query=", UrlEncode("http_requests_total{job=\"api\"}"), "&time=", kT0 + 3585));
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, absl::StrCat(R"({"status":"success","data":{"resultType":"vector","result":[)",
                                 R"({"metric":{"__name__":"http_requests_total","code":"200",)",
                                 R"("job":"api"},"value":[)", kT0 + 3585, R"(,"239"]}]}})"));
  // RFC3339 and fractional seconds name the same and other instants.
  const Reply rfc = Get("/api/v1/query?query=" + UrlEncode("http_requests_total{job=\"api\"}") +
                        "&time=2020-09-13T12:26:40.5Z");  // kT0 + 0.5 s
  ASSERT_EQ(rfc.code, 200) << rfc.body;
  EXPECT_EQ(rfc.j["data"]["result"][0]["value"][0].dump(), "1600000000.5");
  EXPECT_THAT(rfc.body, HasSubstr("[1600000000.500,\"0\"]"));
}

TEST_F(ApiTest, FormPostAndValueForms) {
  const Reply r =
      Post("/api/v1/query", absl::StrCat("query=", UrlEncode("temp / 0"), "&time=", kT0 + 30));
  ASSERT_EQ(r.code, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr(R"({"metric":{"room":"a\u003cb"})"))
      << "labels HTML-escaped, the name dropped";
  EXPECT_THAT(r.body, HasSubstr(R"("value":[1600000030,"+Inf"])"));
  EXPECT_THAT(Get(absl::StrCat("/api/v1/query?query=tiny&time=", kT0)).body,
              HasSubstr(R"("value":[1600000000,"1e-07"])"));
  EXPECT_THAT(Get(absl::StrCat("/api/v1/query?query=temp-temp%2F0&time=", kT0)).body,
              HasSubstr(R"("NaN")"));
  EXPECT_EQ(Get("/api/v1/query?query=1.5&time=10.25").body,
            R"({"status":"success","data":{"resultType":"scalar","result":[10.25,"1.5"]}})");
  EXPECT_EQ(Get("/api/v1/query?query=%22x%22&time=10").body,
            R"({"status":"success","data":{"resultType":"string","result":[10,"x"]}})");
}

TEST_F(ApiTest, RangeQuery) {
  for (const char* step : {"15", "15s", "15000ms", "1.5e1"}) {
    const Reply r = Get(absl::StrCat("/api/v1/query_range?query=temp&start=", kT0,
                                     "&end=", kT0 + 60, "&step=", step));
    ASSERT_EQ(r.code, 200) << step << ": " << r.body;
    EXPECT_EQ(r.j["data"]["resultType"], "matrix");
    ASSERT_EQ(r.j["data"]["result"].size(), 1u);
    EXPECT_EQ(r.j["data"]["result"][0]["values"].dump(),
              R"([[1600000000,"0"],[1600000015,"0.5"],[1600000030,"1"],[1600000045,"1.5"],)"
              R"([1600000060,"2"]])");
  }
  // Unaligned start: timestamps keep their milliseconds.
  const Reply r = Get(
      absl::StrCat("/api/v1/query_range?query=temp&start=", kT0, ".5&end=", kT0 + 16, "&step=15"));
  EXPECT_THAT(r.body, HasSubstr(R"("values":[[1600000000.500,"0"],[1600000015.500,"0.5"]])"));
  const Reply post = Post("/api/v1/query_range",
                          absl::StrCat("query=temp&start=", kT0, "&end=", kT0 + 15, "&step=15"));
  EXPECT_EQ(post.j["data"]["result"][0]["values"].size(), 2u) << post.body;
}

TEST_F(ApiTest, BadRequests) {
  ExpectError(Get("/api/v1/query?query=sum(foo"), 400, "bad_data",
              "invalid parameter \"query\": 1:8: parse error: unclosed left parenthesis");
  ExpectError(Get("/api/v1/query_range?query=sum(foo&start=1&end=2&step=1"), 400, "bad_data",
              "1:8: parse error");
  EXPECT_THAT(Get("/api/v1/query_range?query=sum(foo&start=1&end=2&step=1").j.value("error", ""),
              ::testing::StartsWith("1:8: parse error"));
  ExpectError(Get("/api/v1/query?query=up&time=abc"), 400, "bad_data",
              "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"abc\" to "
              "a valid timestamp");
  ExpectError(Get("/api/v1/query?query=up&timeout=x"), 400, "bad_data",
              "invalid parameter \"timeout\": cannot parse \"x\" to a valid duration");
  ExpectError(Get("/api/v1/query_range?query=up&start=x&end=2&step=1"), 400, "bad_data",
              "invalid parameter \"start\": cannot parse \"x\" to a valid timestamp");
  ExpectError(Get("/api/v1/query_range?query=up&start=10&end=2&step=1"), 400, "bad_data",
              "invalid parameter \"end\": end timestamp must not be before start time");
  ExpectError(Get("/api/v1/query_range?query=up&start=1&end=2&step=0"), 400, "bad_data",
              "invalid parameter \"step\": zero or negative query resolution step widths are not "
              "accepted. Try a positive integer");
  ExpectError(Get("/api/v1/query_range?query=up&start=1&end=2&step=x"), 400, "bad_data",
              "invalid parameter \"step\": cannot parse \"x\" to a valid duration");
  ExpectError(Get("/api/v1/query_range?query=up&start=0&end=11001&step=1"), 400, "bad_data",
              "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
              "query resolution (?step=XX)");
  EXPECT_EQ(Get("/api/v1/query_range?query=up&start=0&end=11000&step=1").code, 200);
  ExpectError(Get("/api/v1/query_range?query=temp[5m]&start=1&end=2&step=1"), 400, "bad_data",
              "invalid expression type \"range vector\" for range query, must be Scalar or "
              "instant Vector");
  ExpectError(Get("/api/v1/label/1a/values"), 400, "bad_data", "invalid label name: \"1a\"");
  ExpectError(Get("/api/v1/series"), 400, "bad_data", "no match[] parameter provided");
  ExpectError(Get("/api/v1/series?match[]=" + UrlEncode("{a=\"\"}")), 400, "bad_data",
              "invalid parameter \"match[]\": match[] must contain at least one non-empty matcher");
  ExpectError(Get("/api/v1/labels?match[]=" + UrlEncode("{a=~\".*\"}")), 400, "bad_data",
              "match[] must contain at least one non-empty matcher");
  ExpectError(Get("/api/v1/metadata?limit=x"), 400, "bad_data", "limit must be a number");
  ExpectError(Get("/api/v1/format_query?query=a+"), 400, "bad_data",
              "invalid parameter \"query\": 1:3: parse error");
}

TEST_F(ApiTest, LimitsAnswerWithTheirErrorTypesAndDisturbNothing) {
  // 480 samples at once against --query.max-samples=400 (a range function holds one series'
  // 240 at a time, as in Prometheus).
  const std::string heavy = UrlEncode("http_requests_total[1h]");
  ExpectError(Get(absl::StrCat("/api/v1/query?query=", heavy, "&time=", kT0 + 3599)), 422,
              "execution",
              "query processing would load too many samples into memory in query execution");
  ExpectError(Get(absl::StrCat("/api/v1/query?query=", UrlEncode("count_over_time(temp[1h])"),
                               "&time=", kT0 + 3599, "&timeout=0.000000001")),
              503, "timeout", "query timed out in ");
  const Reply ok = Get(absl::StrCat("/api/v1/query?query=", UrlEncode("count_over_time(temp[1h])"),
                                    "&time=", kT0 + 3599));
  EXPECT_EQ(ok.code, 200) << ok.body;
  EXPECT_THAT(ok.body, HasSubstr(R"("value":[1600003599,"240"])"));
}

TEST_F(ApiTest, SeriesAndLabels) {
  const std::string range = absl::StrCat("&start=", kT0, "&end=", kT0 + 3600);
  Reply r =
      Get("/api/v1/series?match[]=temp&match[]=" + UrlEncode("http_requests_total{job=~\"a.*\"}") +
          "&match[]=temp" + range);
  EXPECT_EQ(r.body, R"({"status":"success","data":[{"__name__":"http_requests_total","code":"200",)"
                    R"("job":"api"},{"__name__":"temp","room":"a\u003cb"}]})");
  // Nothing before the data.
  EXPECT_EQ(Get("/api/v1/series?match[]=temp&end=1000").body, R"({"status":"success","data":[]})");
  r = Post("/api/v1/labels", "match[]=temp&match[]=tiny" + range);
  EXPECT_EQ(r.body, R"({"status":"success","data":["__name__","room"]})");
  r = Get("/api/v1/label/job/values?match[]=http_requests_total" + range);
  EXPECT_EQ(r.body, R"({"status":"success","data":["api","web"]})");
  r = Get("/api/v1/label/__name__/values" + ("?" + range.substr(1)));
  EXPECT_EQ(r.body, R"({"status":"success","data":["http_requests_total","temp","tiny"]})");
  r = Get("/api/v1/label/nonexistent/values");
  EXPECT_EQ(r.body, R"({"status":"success","data":[]})");
  // Without start and end: all time (Prometheus's sentinels are accepted too).
  r = Get(
      "/api/v1/labels?start=-292273086-05-16T16:47:06Z&end=292277025-08-18T07:12:54.999999999Z");
  ASSERT_EQ(r.code, 200) << r.body;
  EXPECT_TRUE(r.j["data"].is_array());
  EXPECT_THAT(r.body, HasSubstr("\"room\""));
}

TEST_F(ApiTest, FormatQueryAndMetadata) {
  EXPECT_EQ(Get("/api/v1/format_query?query=" + UrlEncode("sum(rate(x[5m]))by(job)")).body,
            R"J({"status":"success","data":"sum by (job) (rate(x[5m]))"})J");
  // No scrape targets: no metadata (scrape_prometheus_compat_test compares it with targets).
  EXPECT_EQ(Get("/api/v1/metadata").body, R"({"status":"success","data":{}})");
  EXPECT_EQ(Get("/api/v1/targets/metadata").body, R"({"status":"success","data":[]})");
}

TEST_F(ApiTest, StatusRuntimeinfoAndTsdb) {
  // The self-scrape puts series into the head.
  Reply up;
  for (int i = 0; i < 100; ++i) {
    up = Get("/api/v1/query?query=up");
    if (up.code == 200 && !up.j["data"]["result"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(up.j["data"]["result"].size(), 1u) << up.body;
  EXPECT_EQ(up.j["data"]["result"][0]["value"][1], "1");

  const Reply rt = Get("/api/v1/status/runtimeinfo");
  ASSERT_EQ(rt.code, 200) << rt.body;
  const json& d = rt.j["data"];
  for (const char* key :
       {"startTime", "CWD", "reloadConfigSuccess", "lastConfigTime", "corruptionCount",
        "goroutineCount", "GOMAXPROCS", "GOGC", "GODEBUG", "storageRetention"}) {
    EXPECT_TRUE(d.contains(key)) << key << " in " << rt.body;
  }
  EXPECT_EQ(d["reloadConfigSuccess"], true);
  EXPECT_EQ(d["storageRetention"], "15d");
  EXPECT_GT(d["goroutineCount"].get<int>(), 1);
  EXPECT_THAT(d["startTime"].get<std::string>(), ::testing::EndsWith("Z"));

  // The top-10 lists are full once the head holds ten label names; under load the scrape
  // that brings the last of them can come after the first `up`.
  Reply ts;
  for (int i = 0; i < 100; ++i) {
    ts = Get("/api/v1/status/tsdb");
    if (ts.code == 200 && ts.j["data"]["labelValueCountByLabelName"].size() >= 10) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(ts.code, 200) << ts.body;
  const json& h = ts.j["data"]["headStats"];
  EXPECT_GE(h["numSeries"].get<int>(), 5);  // up, scrape_* and the server's own metrics
  EXPECT_GE(h["chunkCount"].get<int>(), h["numSeries"].get<int>());
  EXPECT_LE(h["minTime"].get<int64_t>(), h["maxTime"].get<int64_t>());
  EXPECT_GT(h["numLabelPairs"].get<int>(), 5);
  for (const char* key : {"seriesCountByMetricName", "labelValueCountByLabelName",
                          "memoryInBytesByLabelName", "seriesCountByLabelValuePair"}) {
    const json& top = ts.j["data"][key];
    ASSERT_TRUE(top.is_array()) << key;
    EXPECT_EQ(top.size(), 10u) << key;
    for (size_t i = 1; i < top.size(); ++i) {
      EXPECT_GE(top[i - 1]["value"].get<int64_t>(), top[i]["value"].get<int64_t>()) << key;
    }
  }
  EXPECT_THAT(ts.body, HasSubstr(R"({"name":"job=argus","value":)"));
}

TEST_F(ApiTest, GzipWhenAccepted) {
  httplib::Client c("127.0.0.1", port_);
  c.set_decompress(false);
  auto res = c.Get("/api/v1/label/__name__/values", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
}

}  // namespace
}  // namespace argus
