#include "proto/rtsp/Url.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

TEST(UrlTest, CameraUrlWithCredentials) {
  auto u =
      Url::parse("rtsp://admin:p%40ss%3Aw@192.168.1.64:554/Streaming/Channels/101?transportmode=unicast");
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_EQ(u->scheme(), "rtsp");
  EXPECT_EQ(u->user(), "admin");
  EXPECT_EQ(u->password(), "p@ss:w");
  EXPECT_EQ(u->host(), "192.168.1.64");
  EXPECT_EQ(u->port(), 554);
  EXPECT_EQ(u->path(), "Streaming/Channels/101");
  EXPECT_EQ(u->query(), "transportmode=unicast");
  EXPECT_EQ(u->withoutCredentials(), "rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast");
}

TEST(UrlTest, UnescapedAtInPasswordAndDefaults) {
  auto u = Url::parse("RTSP://user:p@ss@cam.local/live");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme(), "rtsp");
  EXPECT_EQ(u->password(), "p@ss");
  EXPECT_EQ(u->host(), "cam.local");
  EXPECT_FALSE(u->port().has_value());
  EXPECT_EQ(u->portOrDefault(), 554);
  EXPECT_EQ(u->withoutCredentials(), "RTSP://cam.local/live");

  auto tls = Url::parse("rtsps://host");
  ASSERT_TRUE(tls.ok());
  EXPECT_EQ(tls->portOrDefault(), 322);
  EXPECT_EQ(tls->path(), "");
  EXPECT_EQ(tls->user(), "");
}

TEST(UrlTest, Ipv6) {
  auto u = Url::parse("rtsp://u@[::1]:8554/cam/1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host(), "::1");
  EXPECT_EQ(u->port(), 8554);
  EXPECT_EQ(u->user(), "u");
  EXPECT_EQ(u->path(), "cam/1");
  EXPECT_EQ(u->withoutCredentials(), "rtsp://[::1]:8554/cam/1");
  EXPECT_EQ(Url::parse("rtsp://[fe80::1]/x")->host(), "fe80::1");
}

TEST(UrlTest, Rejects) {
  for (const char* bad : {"", "http://h/", "rtsp:/h", "rtsp://", "rtsp://:554/x", "rtsp://h:/x",
                          "rtsp://h:0/", "rtsp://h:65536/", "rtsp://h:x/", "rtsp://[::1/x", "rtsp://[]/x",
                          "rtsp://[::1]x/", "rtsp://u%4:p@h/", "rtsp://u:p%zz@h/"}) {
    EXPECT_FALSE(Url::parse(bad).ok()) << bad;
  }
}

TEST(UrlTest, ResolveControl) {
  EXPECT_EQ(resolveControl("rtsp://h/cam/", "trackID=1"), "rtsp://h/cam/trackID=1");
  EXPECT_EQ(resolveControl("rtsp://h/cam", "trackID=1"), "rtsp://h/cam/trackID=1");
  EXPECT_EQ(resolveControl("rtsp://h/cam/", "/trackID=1"), "rtsp://h/cam/trackID=1");
  EXPECT_EQ(resolveControl("rtsp://h/cam/", "*"), "rtsp://h/cam/");
  EXPECT_EQ(resolveControl("rtsp://h/cam", ""), "rtsp://h/cam");
  EXPECT_EQ(resolveControl("rtsp://h/cam/",
                           "rtsp://other:554/Streaming/Channels/101/trackID=1?transportmode=unicast"),
            "rtsp://other:554/Streaming/Channels/101/trackID=1?transportmode=unicast");
  // Appended after the query, as ffmpeg and live555 do.
  EXPECT_EQ(resolveControl("rtsp://h/cam?x=1", "streamid=0"), "rtsp://h/cam?x=1/streamid=0");
}

}  // namespace
}  // namespace ocellus::proto::rtsp
