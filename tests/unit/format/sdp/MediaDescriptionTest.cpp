#include "format/sdp/MediaDescription.h"

#include <gtest/gtest.h>

namespace ocellus::format::sdp {
namespace {

TEST(MediaDescriptionTest, FmtpParsesParameters) {
  MediaDescription m;
  m.formats = {"96", "97"};
  m.attributes = {
      {"fmtp", "97 config=1408"},
      {"FMTP",
       "96 Packetization-Mode=1 ;; profile-level-id = 42e01f; novalue ;sprop-parameter-sets=Z0I=,aM4="}};
  const auto p = m.fmtp(96);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p.at("packetization-mode"), "1");
  EXPECT_EQ(p.at("profile-level-id"), "42e01f");
  EXPECT_EQ(p.at("novalue"), "");
  EXPECT_EQ(p.at("sprop-parameter-sets"), "Z0I=,aM4=");
  EXPECT_EQ(m.fmtp(97).at("config"), "1408");
}

TEST(MediaDescriptionTest, RtpmapPrefersAttributeOverStaticTable) {
  MediaDescription m;
  m.formats = {"0", "x", "200", "96"};
  m.attributes = {{"rtpmap", "0 PCMU/16000"}};
  EXPECT_EQ(m.rtpmap(0)->clockRate, 16000u);
  EXPECT_EQ(m.payloadTypes(), (std::vector<std::uint8_t>{0, 96}));
  EXPECT_FALSE(m.rtpmap(96).has_value());
}

TEST(MediaDescriptionTest, DirectionAndControl) {
  MediaDescription m;
  EXPECT_EQ(m.direction(), Direction::SendRecv);
  EXPECT_EQ(m.direction(Direction::SendOnly), Direction::SendOnly);
  EXPECT_EQ(m.control(), "");
  m.attributes = {{"inactive", ""}, {"control", "trackID=3"}};
  EXPECT_EQ(m.direction(Direction::SendOnly), Direction::Inactive);
  EXPECT_EQ(m.control(), "trackID=3");
}

}  // namespace
}  // namespace ocellus::format::sdp
