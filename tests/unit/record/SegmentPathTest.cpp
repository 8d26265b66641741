#include "record/SegmentPath.h"

#include <gtest/gtest.h>

#include "record/SegmentEvent.h"

namespace ocellus::record {
namespace {

TEST(SegmentPathTest, NamesFilesAfterTheirFirstSampleInUtc) {
  // 2024-02-29T23:59:59.007Z
  constexpr std::int64_t kStart = 1'709'251'199'007;
  EXPECT_EQ(segmentPath("front-door", kStart, false).value(), "front-door/2024-02-29/front-door-20240229T235959.007Z.mp4");
  EXPECT_EQ(segmentPath("front-door", kStart, true).value(), "front-door/sessions/front-door-20240229T235959.007Z.mp4");
  EXPECT_EQ(segmentPath("c", 0, false).value(), "c/1970-01-01/c-19700101T000000.000Z.mp4");
}

TEST(SegmentPathTest, ParsesWhatItNamesAndNothingElse) {
  constexpr std::int64_t kStart = 1'709'251'199'007;
  for (bool session : {false, true}) {
    const auto name = parseSegmentPath(segmentPath("front-door", kStart, session).value());
    ASSERT_TRUE(name);
    EXPECT_EQ(name->cameraId, "front-door");
    EXPECT_EQ(name->startMs, kStart);
    EXPECT_EQ(name->session, session);
  }
  for (const char* other : {"front-door-20240229T235959.007Z.mp4", "a/2024-02-29/b-20240229T235959.007Z.mp4",
                            "a/2024-02-29/a-20241329T235959.007Z.mp4", "a/2024-02-29/a-20240229T235959.007Z.mp4.tmp",
                            "a/x/y/a-20240229T235959.007Z.mp4", "a/2024-02-28/a-20240229T235959.007Z.mp4", "exports/1-2.mp4"}) {
    EXPECT_FALSE(parseSegmentPath(other)) << other;
  }
}

TEST(SegmentPathTest, RefusesIdsThatLeaveTheCameraFolder) {
  for (const char* id : {"", "a/b", "/abs", "..", "a..b", "x\\y"}) {
    EXPECT_FALSE(segmentPath(id, 0, false)) << id;
    EXPECT_FALSE(checkCameraId(id)) << id;
  }
  EXPECT_TRUE(checkCameraId("cam_1.main"));
}

TEST(SegmentPathTest, FsyncPolicyNamesRoundTrip) {
  for (auto policy : {FsyncPolicy::None, FsyncPolicy::Fragment, FsyncPolicy::Segment}) {
    EXPECT_EQ(parseFsyncPolicy(fsyncPolicyName(policy)), policy);
  }
  EXPECT_FALSE(parseFsyncPolicy("always"));
}

}  // namespace
}  // namespace ocellus::record
