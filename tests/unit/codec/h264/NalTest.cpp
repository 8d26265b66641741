#include "codec/h264/Nal.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::codec::h264 {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(NalTest, ReadsTheTypeFromTheHeaderByte) {
  EXPECT_EQ(nalType(0x67), NalType::Sps);
  EXPECT_EQ(nalType(0x68), NalType::Pps);
  EXPECT_EQ(nalType(0x65), NalType::Idr);
  EXPECT_EQ(nalType(0x7c), NalType::FuA);
  EXPECT_TRUE(isVcl(nalType(0x41)));
  EXPECT_TRUE(isVcl(nalType(0x65)));
  EXPECT_FALSE(isVcl(nalType(0x06)));
  EXPECT_FALSE(isVcl(nalType(0x67)));
}

TEST(NalTest, KeyframeMeansAnIdrSlice) {
  EXPECT_TRUE(isKeyframe(Bytes{0, 0, 0, 2, 0x67, 0x42, 0, 0, 0, 1, 0x68, 0, 0, 0, 2, 0x65, 0x88}));
  EXPECT_TRUE(isKeyframe(Bytes{0, 0, 0, 2, 0x25, 0x88}));  // nal_ref_idc 1
  EXPECT_FALSE(isKeyframe(Bytes{0, 0, 0, 2, 0x41, 0x9a}));
  EXPECT_FALSE(isKeyframe(Bytes{0, 0, 0, 1, 0x67}));
  EXPECT_FALSE(isKeyframe(Bytes{0, 0, 0, 9, 0x65}));  // malformed: the IDR is not inside the unit
  EXPECT_FALSE(isKeyframe(Bytes{}));
}

}  // namespace
}  // namespace ocellus::codec::h264
