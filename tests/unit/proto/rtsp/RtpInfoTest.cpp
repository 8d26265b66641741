#include "proto/rtsp/RtpInfo.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

TEST(RtpInfoTest, BuildsAndParses) {
  const std::vector<RtpInfo> entries{{"rtsp://h:8554/cam/trackID=0", 100, 9000},
                                     {"rtsp://h:8554/cam/trackID=1", 7, 0}};
  const std::string header = RtpInfo::formatList(entries);
  EXPECT_EQ(
      header,
      "url=rtsp://h:8554/cam/trackID=0;seq=100;rtptime=9000,url=rtsp://h:8554/cam/trackID=1;seq=7;rtptime=0");
  auto parsed = RtpInfo::parseList(header);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, entries);
}

TEST(RtpInfoTest, ToleratesSpacesAndMissingFields) {
  auto parsed = RtpInfo::parseList("url=rtsp://a/1; seq=65535 , url=rtsp://a/2;rtptime=4294967295;ssrc=5");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0], (RtpInfo{"rtsp://a/1", 65535, std::nullopt}));
  EXPECT_EQ((*parsed)[1], (RtpInfo{"rtsp://a/2", std::nullopt, 4294967295u}));
}

TEST(RtpInfoTest, Rejects) {
  // RFC 2326 §10.12's example writes a sequence number that does not fit 16 bits.
  EXPECT_FALSE(RtpInfo::parseList("url=rtsp://foo.com/bar.file; seq=232433;rtptime=972948234").ok());
  EXPECT_FALSE(RtpInfo::parseList("seq=1;rtptime=2").ok());
  EXPECT_FALSE(RtpInfo::parseList("url=a;rtptime=x").ok());
  EXPECT_FALSE(RtpInfo::parseList("url=\"a\"").ok());
}

}  // namespace
}  // namespace ocellus::proto::rtsp
