// `argus sidecar` next to a real Prometheus 2.42 whose data directory holds blocks made by the
// real promtool: each block reaches a real S3-compatible server (s3rver) exactly once, whole,
// with the thanos section Thanos writes; a restart uploads nothing again; a sidecar killed in
// the middle of an upload leaves no block that looks complete but is not, and the next one
// finishes the job. Also: the configurations the sidecar and `argus server` must refuse.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "objstore/bucket.h"
#include "objstore/factory.h"
#include "util/process.h"
#include "util/s3_peer.h"

namespace argus {
namespace {

using ::argus::testing::ArgusBinary;
using ::argus::testing::Child;
using ::argus::testing::CommandResult;
using ::argus::testing::FaultProxy;
using ::argus::testing::FreePort;
using ::argus::testing::HttpGet;
using ::argus::testing::RunCommand;
using ::argus::testing::S3Peer;
using ::argus::testing::TestDir;
namespace fs = std::filesystem;

constexpr char kBucket[] = "blocks";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string BucketYaml(const std::string& endpoint) {
  return absl::StrFormat(
      "type: S3\nconfig:\n  bucket: %s\n  endpoint: %s\n  insecure: true\n  access_key: %s\n"
      "  secret_key: %s\n",
      kBucket, endpoint, ::argus::testing::kS3rverAccessKey, ::argus::testing::kS3rverSecretKey);
}

// The value of the unlabelled sample `name` in exposition `text`; -1 when absent.
double MetricValue(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, name + " ")) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

class SidecarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDir("sidecar");
    s3_ = S3Peer::Start(dir_ + "/s3", kBucket);
    ASSERT_NE(s3_, nullptr);
    bucket_ = *objstore::NewBucket(
        *objstore::ParseBucketConfig(BucketYaml(s3_->endpoint()), "test"), nullptr);
    // Blocks made by the real promtool: 10h of 20 series scraped every 30 s, five 2h blocks
    // (six with the unaligned start).
    data_ = dir_ + "/prometheus";
    {
      std::ofstream om(dir_ + "/in.om");
      for (int s = 0; s < 20; ++s) {
        om << "# TYPE series_" << s << " gauge\n";
        for (int64_t t = 1700000000; t < 1700000000 + 10 * 3600; t += 30) {
          om << "series_" << s << "{job=\"gen\"} " << (t * (s + 1)) % 1000 << " " << t << "\n";
        }
      }
      om << "# EOF\n";
    }
    CommandResult made = RunCommand(
        {"promtool", "tsdb", "create-blocks-from", "openmetrics", dir_ + "/in.om", data_});
    ASSERT_EQ(made.exit_code, 0) << made.output;
    for (const auto& e : fs::directory_iterator(data_)) {
      if (fs::exists(e.path() / "meta.json")) blocks_.insert(e.path().filename().string());
    }
    ASSERT_GE(blocks_.size(), 3u) << "promtool made too few blocks to test with";
    prom_port_ = FreePort();
    std::ofstream(dir_ + "/prometheus.yml")
        << "global:\n  scrape_interval: 1h\n  external_labels:\n    cluster: eu1\n"
           "    replica: \"0\"\n";
    prom_ = std::make_unique<Child>(
        std::vector<std::string>{
            "prometheus", "--config.file=" + dir_ + "/prometheus.yml",
            "--storage.tsdb.path=" + data_, "--storage.tsdb.retention.time=100y",
            "--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h",
            absl::StrCat("--web.listen-address=127.0.0.1:", prom_port_)},
        dir_ + "/prometheus.log");
    std::string log;
    ASSERT_TRUE(prom_->WaitForLog("Server is ready to receive web requests", 60000, &log)) << log;
  }

  // Starts `argus sidecar` shipping to `endpoint`; fills *http_port.
  std::unique_ptr<Child> StartSidecar(const std::string& endpoint, int* http_port,
                                      const std::string& log_name) {
    std::ofstream(dir_ + "/bucket.yml") << BucketYaml(endpoint);
    *http_port = FreePort();
    return std::make_unique<Child>(
        std::vector<std::string>{ArgusBinary(), "sidecar",
                                 absl::StrCat("--prometheus.url=http://127.0.0.1:", prom_port_),
                                 "--tsdb.path=" + data_,
                                 "--objstore.config-file=" + dir_ + "/bucket.yml",
                                 absl::StrCat("--http-address=127.0.0.1:", *http_port),
                                 absl::StrCat("--grpc-address=127.0.0.1:", FreePort())},
        dir_ + "/" + log_name);
  }

  std::string Metrics(int port) {
    std::string body;
    EXPECT_EQ(HttpGet(port, "/metrics", &body), 200);
    return body;
  }

  // Waits until the sidecar on `port` has finished `syncs` shipper cycles.
  void WaitForSyncs(int port, int syncs) {
    for (int i = 0; i < 600; ++i) {
      std::string body;
      if (HttpGet(port, "/metrics", &body) == 200 &&
          MetricValue(body, "thanos_shipper_dir_syncs_total") >= syncs) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "the sidecar did not sync " << syncs << " time(s) within 60 s";
  }

  std::set<std::string> BucketObjects() {
    std::set<std::string> out;
    EXPECT_TRUE(bucket_
                    ->Iter("", true,
                           [&out](const std::string& n) {
                             out.insert(n);
                             return absl::OkStatus();
                           })
                    .ok());
    return out;
  }

  // Every block whose meta.json is in the bucket has all the files its thanos.files lists, with
  // their sizes: nothing half-uploaded looks complete. Returns the ULIDs of those blocks.
  std::set<std::string> CompleteBlocksInBucket() {
    std::set<std::string> out;
    for (const std::string& name : BucketObjects()) {
      if (!absl::EndsWith(name, "/meta.json")) continue;
      const std::string ulid = name.substr(0, name.find('/'));
      nlohmann::json meta = nlohmann::json::parse(*bucket_->Get(name));
      for (const auto& f : meta["thanos"]["files"]) {
        const std::string rel = f["rel_path"];
        if (rel == "meta.json") continue;
        absl::StatusOr<objstore::ObjectAttributes> a = bucket_->Attributes(ulid + "/" + rel);
        EXPECT_TRUE(a.ok()) << ulid << "/" << rel << " missing although meta.json is there";
        if (a.ok()) {
          EXPECT_EQ(a->size, f["size_bytes"].get<int64_t>()) << ulid << "/" << rel;
        }
      }
      out.insert(ulid);
    }
    return out;
  }

  // Every local block is in the bucket byte for byte, labelled as Thanos labels it.
  void ExpectAllBlocksShipped() {
    EXPECT_EQ(CompleteBlocksInBucket(), blocks_);
    for (const std::string& ulid : blocks_) {
      const std::string local = data_ + "/" + ulid;
      nlohmann::json meta = nlohmann::json::parse(*bucket_->Get(ulid + "/meta.json"));
      nlohmann::json local_meta = nlohmann::json::parse(ReadAll(local + "/meta.json"));
      EXPECT_EQ(meta["ulid"], ulid);
      EXPECT_EQ(meta["minTime"], local_meta["minTime"]);
      EXPECT_EQ(meta["maxTime"], local_meta["maxTime"]);
      EXPECT_EQ(meta["stats"], local_meta["stats"]);
      const nlohmann::json& thanos = meta["thanos"];
      EXPECT_EQ(thanos["labels"], (nlohmann::json{{"cluster", "eu1"}, {"replica", "0"}}));
      EXPECT_EQ(thanos["source"], "sidecar");
      EXPECT_EQ(thanos["downsample"]["resolution"], 0);
      std::vector<std::string> rel_paths;
      for (const auto& f : thanos["files"]) rel_paths.push_back(f["rel_path"]);
      EXPECT_TRUE(std::is_sorted(rel_paths.begin(), rel_paths.end()));
      EXPECT_EQ(rel_paths.back(), "meta.json");
      for (const std::string& rel : rel_paths) {
        if (rel == "meta.json") continue;
        EXPECT_TRUE(*bucket_->Get(ulid + "/" + rel) == ReadAll(local + "/" + rel))
            << ulid << "/" << rel << " differs from the local file";
      }
    }
    nlohmann::json state = nlohmann::json::parse(ReadAll(data_ + "/thanos.shipper.json"));
    EXPECT_EQ(state["version"], 1);
    std::set<std::string> recorded;
    for (const auto& u : state["uploaded"]) EXPECT_TRUE(recorded.insert(u).second) << u;
    EXPECT_EQ(recorded, blocks_);
  }

  std::string dir_, data_;
  std::unique_ptr<S3Peer> s3_;
  std::unique_ptr<objstore::Bucket> bucket_;
  std::set<std::string> blocks_;
  int prom_port_ = 0;
  std::unique_ptr<Child> prom_;
};

TEST_F(SidecarTest, UploadsEachBlockOnceAndNothingAfterRestart) {
  int port = 0;
  std::unique_ptr<Child> sidecar = StartSidecar(s3_->endpoint(), &port, "sidecar1.log");
  WaitForSyncs(port, 1);
  ExpectAllBlocksShipped();
  const std::string text = Metrics(port);
  EXPECT_EQ(MetricValue(text, "thanos_shipper_uploads_total"), blocks_.size()) << text;
  EXPECT_EQ(MetricValue(text, "thanos_shipper_upload_failures_total"), 0);
  std::string body;
  EXPECT_EQ(HttpGet(port, "/-/ready", &body), 200);
  EXPECT_EQ(sidecar->Stop(SIGTERM), 0);

  const std::set<std::string> before = BucketObjects();
  sidecar = StartSidecar(s3_->endpoint(), &port, "sidecar2.log");
  WaitForSyncs(port, 1);
  EXPECT_EQ(MetricValue(Metrics(port), "thanos_shipper_uploads_total"), 0);
  EXPECT_EQ(BucketObjects(), before);
}

TEST_F(SidecarTest, KilledMidUploadThenRestartedEndsWithEveryBlockWhole) {
  // Every request through the proxy takes 0.3 s, so the kill lands inside the uploads.
  std::unique_ptr<FaultProxy> slow = FaultProxy::Start(dir_, s3_->port(), 1, "delay", 0.3);
  ASSERT_NE(slow, nullptr);
  int port = 0;
  std::unique_ptr<Child> sidecar = StartSidecar(slow->endpoint(), &port, "sidecar1.log");
  // Wait until some, but not all, of the blocks' files are in.
  for (int i = 0; i < 600 && BucketObjects().size() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sidecar->Stop(SIGKILL);
  const std::set<std::string> complete = CompleteBlocksInBucket();  // checks the invariant
  EXPECT_LT(complete.size(), blocks_.size()) << "the kill came too late to test anything";

  sidecar = StartSidecar(s3_->endpoint(), &port, "sidecar2.log");
  WaitForSyncs(port, 1);
  ExpectAllBlocksShipped();
  // Blocks whose meta.json made it before the kill are recorded, not uploaded again.
  EXPECT_EQ(MetricValue(Metrics(port), "thanos_shipper_uploads_total"),
            blocks_.size() - complete.size());
}

// Started before its Prometheus, the sidecar waits for it to be ready, then ships.
TEST_F(SidecarTest, WaitsForPrometheusToBeReady) {
  prom_->Stop(SIGTERM);
  int port = 0;
  std::unique_ptr<Child> sidecar = StartSidecar(s3_->endpoint(), &port, "early.log");
  std::string log;
  ASSERT_TRUE(sidecar->WaitForLog("Prometheus is not ready yet", 30000, &log)) << log;
  std::string body;
  EXPECT_EQ(HttpGet(port, "/-/ready", &body), 503) << body;
  prom_ = std::make_unique<Child>(
      std::vector<std::string>{"prometheus", "--config.file=" + dir_ + "/prometheus.yml",
                               "--storage.tsdb.path=" + data_, "--storage.tsdb.retention.time=100y",
                               "--storage.tsdb.min-block-duration=2h",
                               "--storage.tsdb.max-block-duration=2h",
                               absl::StrCat("--web.listen-address=127.0.0.1:", prom_port_)},
      dir_ + "/prometheus2.log");
  WaitForSyncs(port, 1);
  ExpectAllBlocksShipped();
  EXPECT_EQ(HttpGet(port, "/-/ready", &body), 200);
}

TEST_F(SidecarTest, RefusesPrometheusWithoutExternalLabels) {
  prom_->Stop(SIGTERM);
  std::ofstream(dir_ + "/prometheus.yml") << "global:\n  scrape_interval: 1h\n";
  prom_ = std::make_unique<Child>(
      std::vector<std::string>{"prometheus", "--config.file=" + dir_ + "/prometheus.yml",
                               "--storage.tsdb.path=" + data_, "--storage.tsdb.retention.time=100y",
                               absl::StrCat("--web.listen-address=127.0.0.1:", prom_port_)},
      dir_ + "/prometheus2.log");
  std::string log;
  ASSERT_TRUE(prom_->WaitForLog("Server is ready to receive web requests", 60000, &log)) << log;
  int port = 0;
  std::unique_ptr<Child> sidecar = StartSidecar(s3_->endpoint(), &port, "nolabels.log");
  EXPECT_TRUE(sidecar->WaitForLog("no external labels configured", 30000, &log)) << log;
  EXPECT_EQ(sidecar->Stop(0), 1);
  EXPECT_TRUE(BucketObjects().empty());
}

// Each bad configuration is refused at start, with a message that names the problem.
TEST(ObjstoreConfigTest, BadConfigurationsAreRefusedAtStart) {
  const std::string dir = TestDir("bad_objstore");
  const std::string s3 = "type: S3\nconfig:\n  bucket: b\n  endpoint: 127.0.0.1:1\n";
  const std::pair<std::string, std::string> cases[] = {
      {"type: NOPE\nconfig: {}\n", "unsupported bucket type: NOPE"},
      {"type: GCS\nconfig: {bucket: x}\n", "GCS is not supported"},
      {"type: FILESYSTEM\nconfig: {directory: /tmp/x}\nextra: 1\n", "extra"},
      {s3 + "  colour: blue\n", "colour"},
      {s3 + "  sse_config:\n    type: SSE-KMS\n", "kms_key_id"},
      {s3 + "  access_key: only-the-id\n", "secret_key"},
      {s3 + "  secret_key: only-the-secret\n", "access_key"},
  };
  for (const auto& [yaml, want] : cases) {
    std::ofstream(dir + "/bucket.yml") << yaml;
    CommandResult r =
        RunCommand({ArgusBinary(), "sidecar", "--objstore.config-file=" + dir + "/bucket.yml",
                    "--prometheus.url=http://127.0.0.1:1", "--http-address=127.0.0.1:0"});
    EXPECT_NE(r.exit_code, 0) << yaml;
    EXPECT_NE(r.output.find(want), std::string::npos) << yaml << "\n" << r.output;
    r = RunCommand({ArgusBinary(), "server", "--objstore.config=" + yaml,
                    "--storage.tsdb.path=" + dir + "/data", "--web.listen-address=127.0.0.1:0"});
    EXPECT_NE(r.exit_code, 0) << yaml;
    EXPECT_NE(r.output.find(want), std::string::npos) << yaml << "\n" << r.output;
  }
  // Half credentials in the environment.
  CommandResult r = RunCommand({"env", "AWS_ACCESS_KEY_ID=id-only", ArgusBinary(), "sidecar",
                                "--objstore.config=" + s3, "--http-address=127.0.0.1:0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("secret access key"), std::string::npos) << r.output;
}

TEST(ServerShippingTest, RequiresNoLocalCompactionAndExternalLabels) {
  const std::string dir = TestDir("server_shipping");
  const std::string bucket =
      "--objstore.config=type: FILESYSTEM\nconfig: {directory: " + dir + "/bucket}\n";
  std::ofstream(dir + "/labels.yml") << "global:\n  external_labels: {cluster: a}\n";
  std::ofstream(dir + "/nolabels.yml") << "global: {}\n";
  CommandResult r =
      RunCommand({ArgusBinary(), "server", bucket, "--config.file=" + dir + "/labels.yml",
                  "--storage.tsdb.path=" + dir + "/d1", "--web.listen-address=127.0.0.1:0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--storage.tsdb.max-block-duration equal to"), std::string::npos)
      << r.output;
  r = RunCommand({ArgusBinary(), "server", bucket, "--config.file=" + dir + "/nolabels.yml",
                  "--storage.tsdb.path=" + dir + "/d2", "--storage.tsdb.min-block-duration=2h",
                  "--storage.tsdb.max-block-duration=2h", "--web.listen-address=127.0.0.1:0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("no external labels"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace argus
