#include "format/sdp/RtpMap.h"

#include <gtest/gtest.h>

namespace ocellus::format::sdp {
namespace {

TEST(RtpMapTest, ParsesAndFormats) {
  auto m = RtpMap::parse("97 MPEG4-GENERIC/44100/2");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (RtpMap{97, "MPEG4-GENERIC", 44100, 2}));
  EXPECT_EQ(m->toString(), "97 MPEG4-GENERIC/44100/2");
  EXPECT_EQ(RtpMap::parse(" 96  H264/90000 ")->toString(), "96 H264/90000");
  EXPECT_EQ(RtpMap::parse("0 PCMU/8000/1")->toString(), "0 PCMU/8000");
}

TEST(RtpMapTest, RejectsMalformed) {
  for (const char* bad : {"", "96", "96 H264", "96 /90000", "x H264/90000", "128 H264/90000", "96 H264/",
                          "96 H264/-1", "96 H264/90000/0", "96 H264/90000/x", "96 H264/4294967296"}) {
    EXPECT_FALSE(RtpMap::parse(bad).ok()) << bad;
  }
}

TEST(RtpMapTest, StaticPayloadTypes) {
  EXPECT_EQ(RtpMap::staticPayloadType(0), (RtpMap{0, "PCMU", 8000, 1}));
  EXPECT_EQ(RtpMap::staticPayloadType(8), (RtpMap{8, "PCMA", 8000, 1}));
  EXPECT_EQ(RtpMap::staticPayloadType(33), (RtpMap{33, "MP2T", 90000, 1}));
  EXPECT_FALSE(RtpMap::staticPayloadType(96).has_value());
}

}  // namespace
}  // namespace ocellus::format::sdp
