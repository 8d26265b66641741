#include "codec/NalUnits.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::codec {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::vector<Bytes> collect(const Bytes& unit) {
  std::vector<Bytes> out;
  for (auto nal : NalUnits(unit)) out.emplace_back(nal.begin(), nal.end());
  return out;
}

TEST(NalUnitsTest, IteratesLengthPrefixedUnits) {
  const Bytes unit = {0, 0, 0, 2, 0x67, 0x42, 0, 0, 0, 1, 0x68, 0, 0, 0, 3, 0x65, 0x88, 0x80};
  EXPECT_EQ(collect(unit), (std::vector<Bytes>{{0x67, 0x42}, {0x68}, {0x65, 0x88, 0x80}}));
  EXPECT_TRUE(NalUnits(unit).valid());
}

TEST(NalUnitsTest, EmptyUnitIsValidAndHasNoNals) {
  EXPECT_TRUE(collect({}).empty());
  EXPECT_TRUE(NalUnits({}).valid());
}

TEST(NalUnitsTest, StopsAtALengthPastTheEnd) {
  const Bytes unit = {0, 0, 0, 1, 0x68, 0, 0, 0, 5, 0x65, 0x88};
  EXPECT_EQ(collect(unit), (std::vector<Bytes>{{0x68}}));
  EXPECT_FALSE(NalUnits(unit).valid());
}

TEST(NalUnitsTest, StopsAtAZeroLength) {
  const Bytes unit = {0, 0, 0, 1, 0x68, 0, 0, 0, 0, 0, 0, 0, 1, 0x65};
  EXPECT_EQ(collect(unit), (std::vector<Bytes>{{0x68}}));
  EXPECT_FALSE(NalUnits(unit).valid());
}

TEST(NalUnitsTest, StopsAtATruncatedLengthPrefix) {
  const Bytes unit = {0, 0, 0, 1, 0x68, 0, 0};
  EXPECT_EQ(collect(unit), (std::vector<Bytes>{{0x68}}));
  EXPECT_FALSE(NalUnits(unit).valid());
  EXPECT_FALSE(NalUnits(Bytes{0xff, 0xff, 0xff, 0xff, 1}).valid());
}

}  // namespace
}  // namespace ocellus::codec
