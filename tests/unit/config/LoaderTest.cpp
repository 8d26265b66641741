#include "config/Loader.h"

#include <gtest/gtest.h>

namespace ocellus::config {
namespace {

TEST(LoaderTest, ShippedFileLoadsAndEqualsDefaults) {
  auto c = loadFromFile(OCELLUS_TEST_DATA "/../../ocellus.yml", {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  const Config defaults;
  EXPECT_EQ(c->rtsp.address, defaults.rtsp.address);
  EXPECT_EQ(c->rtsp.transports, defaults.rtsp.transports);
  EXPECT_EQ(c->demo.width, 1280);
  EXPECT_EQ(c->demo.bitrateKbps, 2000);
  EXPECT_EQ(c->auth.anonymousMedia, "loopback");
  EXPECT_EQ(c->http.maxConnections, defaults.http.maxConnections);
  EXPECT_TRUE(c->cameras.empty());
}

TEST(LoaderTest, ReadsCamerasAndPaths) {
  auto c = loadFromString(R"(
cameras:
  - {id: door, name: Front door, source: "rtsp://u:p@127.0.0.1:554/s", on_demand: true}
paths:
  "~^private/": {publish: false}
  open: {publish: true}
)", "t.yml", {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->cameras.size(), 1u);
  EXPECT_EQ(c->cameras[0].id, "door");
  EXPECT_TRUE(c->cameras[0].onDemand);
  ASSERT_EQ(c->paths.size(), 2u);
  EXPECT_EQ(c->paths[0].pattern, "~^private/");
  EXPECT_FALSE(c->paths[0].publish);
}

TEST(LoaderTest, ReadsRecordingAndRetention) {
  auto c = loadFromString(R"(
recording:
  segment_seconds: 60
  fsync: segment
  retention: {max_age_days: 7, max_age_days_by_camera: {door: 2}, max_size_gb: 1.5}
demo: {record: continuous}
cameras:
  - {id: door, source: publisher, record: continuous}
)", "t.yml", {{"OCELLUS_RECORDING_RETENTION_MIN_FREE_GB", "0.5"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->recording.segmentSeconds, 60);
  EXPECT_EQ(c->recording.fsync, "segment");
  EXPECT_EQ(c->recording.retention.maxAgeDays, 7);
  EXPECT_EQ(c->recording.retention.maxAgeDaysByCamera.at("door"), 2);
  EXPECT_DOUBLE_EQ(c->recording.retention.maxSizeGb, 1.5);
  EXPECT_DOUBLE_EQ(c->recording.retention.minFreeGb, 0.5);
  EXPECT_EQ(c->demo.record, "continuous");
  EXPECT_EQ(c->cameras.at(0).record, "continuous");
}

TEST(LoaderTest, BadRecordingValuesAreNamed) {
  auto c = loadFromString(R"(
recording: {fsync: always, retention: {max_age_days: -1}}
cameras:
  - {id: door, source: publisher, record: sometimes}
)", "f.yml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("recording.fsync: 'always' is not none, fragment or segment"), std::string::npos)
      << c.error().message;
  EXPECT_NE(c.error().message.find("cameras[0].record: 'sometimes' is not continuous or off"), std::string::npos);
  auto age = loadFromString("recording: {retention: {max_age_days: -1}}\n", "f.yml", {});
  ASSERT_FALSE(age.ok());
  EXPECT_NE(age.error().message.find("recording.retention.max_age_days: must not be negative"), std::string::npos)
      << age.error().message;
}

TEST(LoaderTest, UnknownKeyNamesKeyAndLine) {
  auto c = loadFromString("rtsp:\n  address: \":1\"\n  adress: x\n", "f.yml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("f.yml:3: rtsp.adress: unknown key"), std::string::npos) << c.error().message;
}

TEST(LoaderTest, WrongTypeNamesKeyLineAndExpectation) {
  auto c = loadFromString("demo:\n  fps: fast\n", "f.yml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("f.yml:2: demo.fps: expected an integer"), std::string::npos) << c.error().message;
}

TEST(LoaderTest, BadValuesAreAllReported) {
  auto c = loadFromString("rtsp:\n  address: nowhere\n  transports: [udp, carrier-pigeon]\n", "f.yml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("rtsp.address"), std::string::npos);
  EXPECT_NE(c.error().message.find("carrier-pigeon"), std::string::npos);

  auto zero = loadFromString("http:\n  max_connections: 0\n", "f.yml", {});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("http.max_connections"), std::string::npos);

  auto handshake = loadFromString("webrtc:\n  handshake_timeout_seconds: 0\n", "f.yml", {});
  ASSERT_FALSE(handshake.ok());
  EXPECT_NE(handshake.error().message.find("webrtc.handshake_timeout_seconds: must be 1 to 300"), std::string::npos);
}

TEST(LoaderTest, EnvironmentOverridesKeepTypes) {
  auto c = loadFromString("rtsp:\n  address: \":1000\"\n", "f.yml",
                          {{"OCELLUS_RTSP_ADDRESS", ":9554"},
                           {"OCELLUS_DEMO_ENABLED", "false"},
                           {"OCELLUS_DEMO_BITRATE_KBPS", "700"},
                           {"OCELLUS_RTSP_TRANSPORTS", "[tcp]"},
                           {"OCELLUS_DATA_DIR", "/tmp/x"},
                           {"OCELLUS_ADMIN_PASSWORD", "not-a-config-key"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->rtsp.address, ":9554");
  EXPECT_FALSE(c->demo.enabled);
  EXPECT_EQ(c->demo.bitrateKbps, 700);
  EXPECT_EQ(c->rtsp.transports, std::vector<std::string>{"tcp"});
  EXPECT_EQ(c->dataDir, "/tmp/x");
}

TEST(LoaderTest, EnvironmentValueOfWrongTypeIsAnError) {
  auto c = loadFromString("", "f.yml", {{"OCELLUS_DEMO_FPS", "many"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("demo.fps"), std::string::npos);
}

TEST(LoaderTest, DuplicateCameraIdsAndBadSourceAreRefused) {
  auto c = loadFromString(R"(
cameras:
  - {id: a, source: "rtsp://h/x"}
  - {id: a, source: "ftp://h/x"}
)", "f.yml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("cameras[1].source"), std::string::npos) << c.error().message;
}

TEST(LoaderTest, InvalidYamlNamesLine) {
  auto c = loadFromString("a: [1, 2\nb: 3\n", "f.yml", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("f.yml:"), std::string::npos);
  EXPECT_NE(c.error().message.find("not valid YAML"), std::string::npos);
}

}  // namespace
}  // namespace ocellus::config
