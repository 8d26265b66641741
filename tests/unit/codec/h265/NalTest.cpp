#include "codec/h265/Nal.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::codec::h265 {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(NalTest, ReadsTheTypeFromTheFirstHeaderByte) {
  EXPECT_EQ(nalType(0x40), NalType::Vps);
  EXPECT_EQ(nalType(0x42), NalType::Sps);
  EXPECT_EQ(nalType(0x44), NalType::Pps);
  EXPECT_EQ(nalType(0x62), NalType::Fu);
  EXPECT_EQ(nalType(0xe1), NalType::Ap);  // F bit and LayerId's top bit ignored
  EXPECT_TRUE(isVcl(nalType(0x02)));
  EXPECT_FALSE(isVcl(nalType(0x4e)));  // prefix SEI
}

TEST(NalTest, KeyframeMeansAnIrapPicture) {
  for (std::uint8_t type = 0; type < 64; ++type) {
    const Bytes unit = {0, 0, 0, 2, static_cast<std::uint8_t>(type << 1), 0x01};
    EXPECT_EQ(isKeyframe(unit), type >= 16 && type <= 23) << int(type);
  }
  EXPECT_TRUE(isKeyframe(Bytes{0, 0, 0, 2, 0x40, 0x01, 0, 0, 0, 2, 0x2a, 0x01}));  // VPS then CRA
  EXPECT_FALSE(isKeyframe(Bytes{}));
}

}  // namespace
}  // namespace ocellus::codec::h265
