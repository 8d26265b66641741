#include "proto/rtsp/Range.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

using std::chrono::milliseconds;

TEST(RangeTest, Npt) {
  auto live = Range::parse("npt=0.000-");
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->start, milliseconds(0));
  EXPECT_FALSE(live->end.has_value());
  EXPECT_EQ(live->toString(), "npt=0.000-");

  auto now = Range::parse("npt=now-");
  ASSERT_TRUE(now.ok());
  EXPECT_FALSE(now->start.has_value());
  EXPECT_EQ(now->toString(), "npt=now-");

  // RFC 2326 §3.6 examples: "npt=123.45-125", "npt=12:05:35.3-".
  auto span = Range::parse("npt=123.45-125");
  ASSERT_TRUE(span.ok());
  EXPECT_EQ(*span, (Range{milliseconds(123450), milliseconds(125000)}));
  EXPECT_EQ(span->toString(), "npt=123.450-125.000");
  auto clock = Range::parse("NPT = 12:05:35.3- ;time=19970123T143720Z");
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ(clock->start, milliseconds(((12 * 60 + 5) * 60 + 35) * 1000 + 300));

  auto tail = Range::parse("npt=-20");
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(*tail, (Range{milliseconds(0), milliseconds(20000)}));
  EXPECT_EQ(Range::parse("npt=1.23456-")->start, milliseconds(1234));
}

TEST(RangeTest, Rejects) {
  EXPECT_EQ(Range::parse("smpte=0:10:00-").error().code, base::ErrorCode::Unsupported);
  EXPECT_EQ(Range::parse("clock=19961108T142300Z-").error().code, base::ErrorCode::Unsupported);
  for (const char* bad : {"", "npt", "npt=", "npt=-", "npt=5", "npt=a-", "npt=1:2:3:4-", "npt=1.x-",
                          "npt=0-now", "npt=9999999999-", "npt=1--2"}) {
    auto r = Range::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, base::ErrorCode::Malformed) << bad;
  }
}

}  // namespace
}  // namespace ocellus::proto::rtsp
