#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "rtp/KlvDepacketizer.h"
#include "rtp/KlvPacketizer.h"

namespace ocellus::rtp {
namespace {

std::vector<std::uint8_t> sample(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  std::iota(v.begin(), v.end(), std::uint8_t{0});
  return v;
}

struct Packets {
  std::vector<std::uint8_t> bytes;
  std::vector<PayloadRef> refs;
  std::span<const std::uint8_t> payload(std::size_t i) const {
    return std::span<const std::uint8_t>(bytes).subspan(refs[i].offset, refs[i].size);
  }
};

Packets packetize(std::span<const std::uint8_t> unit, std::size_t max) {
  Packets p;
  KlvPacketizer(max).packetize(unit, p.bytes, p.refs);
  return p;
}

TEST(KlvPayloadTest, LargeUnitIsSplitWithTheMarkerOnTheLastPayload) {
  const auto unit = sample(2500);
  const auto p = packetize(unit, 1000);
  ASSERT_EQ(p.refs.size(), 3u);
  EXPECT_EQ(p.refs[0].size, 1000u);
  EXPECT_EQ(p.refs[2].size, 500u);
  EXPECT_FALSE(p.refs[0].marker);
  EXPECT_FALSE(p.refs[1].marker);
  EXPECT_TRUE(p.refs[2].marker);

  KlvDepacketizer d;
  std::vector<std::vector<std::uint8_t>> out;
  const auto collect = [&](const DepacketizedUnit& u) { out.emplace_back(u.data.begin(), u.data.end()); };
  for (std::size_t i = 0; i < p.refs.size(); ++i) {
    d.push(static_cast<std::uint16_t>(10 + i), 9000, p.refs[i].marker, p.payload(i), collect);
  }
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], unit);
  EXPECT_EQ(d.droppedUnits(), 0u);
}

TEST(KlvPayloadTest, LossOrANewTimestampDropsOnlyTheUnitBeingJoined) {
  const auto unit = sample(300);
  const auto p = packetize(unit, 100);
  KlvDepacketizer d;
  int units = 0;
  const auto count = [&](const DepacketizedUnit& u) {
    EXPECT_EQ(std::vector<std::uint8_t>(u.data.begin(), u.data.end()), unit);
    ++units;
  };
  // Unit 1 loses its middle payload.
  d.push(1, 1000, false, p.payload(0), count);
  d.push(3, 1000, true, p.payload(2), count);
  // Unit 2 stops before its marker; unit 3 (new timestamp) arrives whole.
  d.push(4, 2000, false, p.payload(0), count);
  for (std::uint16_t i = 0; i < 3; ++i) d.push(static_cast<std::uint16_t>(5 + i), 3000, p.refs[i].marker, p.payload(i), count);
  EXPECT_EQ(units, 1);
  EXPECT_EQ(d.droppedUnits(), 2u);
}

}  // namespace
}  // namespace ocellus::rtp
