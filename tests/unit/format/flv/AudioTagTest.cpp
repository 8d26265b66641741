#include "format/flv/AudioTag.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::format::flv {
namespace {

using Bytes = std::vector<std::uint8_t>;

base::ErrorCode errorCodeOf(const Bytes& body) {
  auto tag = AudioTag::parse(body);
  return tag.ok() ? base::ErrorCode::Ok : tag.error().code;
}

TEST(AudioTagTest, AacSequenceHeaderAndFrame) {
  const Bytes header{0xAF, 0x00, 0x12, 0x10};
  auto tag = AudioTag::parse(header);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->packetType, AacPacketType::SequenceHeader);
  EXPECT_EQ(Bytes(tag->data.begin(), tag->data.end()), (Bytes{0x12, 0x10}));
  const Bytes frame{0xAF, 0x01, 0x21};
  tag = AudioTag::parse(frame);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->packetType, AacPacketType::Raw);
  EXPECT_EQ(tag->data.size(), 1u);
}

TEST(AudioTagTest, OtherFormatsAreUnsupported) {
  const Bytes mp3{0x2F, 0xFF};
  auto tag = AudioTag::parse(mp3);
  ASSERT_FALSE(tag.ok());
  EXPECT_EQ(tag.error().code, base::ErrorCode::Unsupported);
  EXPECT_NE(tag.error().message.find("sound format 2"), std::string::npos);
  EXPECT_EQ(errorCodeOf(Bytes{}), base::ErrorCode::Truncated);
  EXPECT_EQ(errorCodeOf(Bytes{0xAF}), base::ErrorCode::Truncated);
  EXPECT_EQ(errorCodeOf(Bytes{0xAF, 0x02}), base::ErrorCode::Malformed);
  EXPECT_EQ(*AudioTag::soundFormat(Bytes{0x72}), 7);
}

TEST(AudioTagTest, BuildRoundTrip) {
  const Bytes asc{0x11, 0x90};
  const Bytes body = AudioTag::aac(AacPacketType::SequenceHeader, asc);
  EXPECT_EQ(body, (Bytes{0xAF, 0x00, 0x11, 0x90}));
  auto tag = AudioTag::parse(body);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(Bytes(tag->data.begin(), tag->data.end()), asc);
  EXPECT_EQ(AudioTag::aacHeader(AacPacketType::Raw), (Bytes{0xAF, 0x01}));
}

}  // namespace
}  // namespace ocellus::format::flv
