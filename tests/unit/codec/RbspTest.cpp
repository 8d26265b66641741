#include "codec/Rbsp.h"

#include <gtest/gtest.h>

namespace ocellus::codec {
namespace {

using Bytes = std::vector<std::uint8_t>;

// H.264 §7.4.1: 00 00 03 followed by 00, 01, 02 or 03 (or the end) loses its 03.
TEST(RbspTest, RemovesEmulationPreventionBytes) {
  EXPECT_EQ(removeEmulationPrevention(Bytes{0x67, 0, 0, 3, 1, 0xaa}), (Bytes{0x67, 0, 0, 1, 0xaa}));
  EXPECT_EQ(removeEmulationPrevention(Bytes{0, 0, 3, 0, 0, 3, 3}), (Bytes{0, 0, 0, 0, 3}));
  EXPECT_EQ(removeEmulationPrevention(Bytes{0x11, 0, 0, 3}), (Bytes{0x11, 0, 0}));
}

TEST(RbspTest, KeepsOtherBytes) {
  const Bytes untouched = {0, 3, 0, 0, 4, 0, 0, 0, 2, 3, 3};
  EXPECT_EQ(removeEmulationPrevention(untouched), untouched);
  EXPECT_TRUE(removeEmulationPrevention(Bytes{}).empty());
}

}  // namespace
}  // namespace ocellus::codec
