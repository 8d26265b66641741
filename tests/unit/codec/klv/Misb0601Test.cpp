#include "codec/klv/Misb0601.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "unit/TestData.h"

namespace ocellus::codec::klv {
namespace {

using Bytes = std::vector<std::uint8_t>;

// tests/data/klv/st0601_example.klv, built by an independent Python encoder (the one in
// tests/e2e/lib/klv_ts.py) from the raw values of the ST 0601 example packet, plus version 17
// and an unknown tag 94 = 01 02 (125 bytes).
const Bytes kGolden = test::readTestData("klv/st0601_example.klv");

TEST(Misb0601Test, DecodesTheGoldenPacketExactly) {
  ASSERT_EQ(kGolden.size(), 125u);
  auto r = Misb0601::decode(kGolden);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  const Misb0601& m = *r;
  EXPECT_EQ(m.precisionTimeStamp, 1224807209913000u);  // 2008-10-24T00:13:29.913Z
  EXPECT_EQ(m.missionId, "MISSION01");
  EXPECT_DOUBLE_EQ(*m.platformHeading, 29122.0 * 360 / 65535);
  EXPECT_NEAR(*m.platformHeading, 159.9744, 1e-4);
  EXPECT_DOUBLE_EQ(*m.platformPitch, -707.0 * 40 / 65534);
  EXPECT_NEAR(*m.platformPitch, -0.4315, 1e-4);
  EXPECT_DOUBLE_EQ(*m.platformRoll, 2232.0 * 100 / 65534);
  EXPECT_DOUBLE_EQ(*m.sensorLatitude, 1435874925.0 * 180 / 4294967294.0);
  EXPECT_NEAR(*m.sensorLatitude, 60.17682297, 1e-8);
  EXPECT_DOUBLE_EQ(*m.sensorLongitude, 1532190916.0 * 360 / 4294967294.0);
  EXPECT_NEAR(*m.sensorLongitude, 128.42675904, 1e-8);
  EXPECT_DOUBLE_EQ(*m.sensorTrueAltitude, 49697.0 * 19900 / 65535 - 900);
  EXPECT_NEAR(*m.sensorTrueAltitude, 14190.72, 1e-2);
  EXPECT_DOUBLE_EQ(*m.sensorHfov, 52636.0 * 180 / 65535);
  EXPECT_DOUBLE_EQ(*m.sensorVfov, 55575.0 * 180 / 65535);
  EXPECT_DOUBLE_EQ(*m.sensorRelativeAzimuth, 1917454880.0 * 360 / 4294967295.0);
  EXPECT_DOUBLE_EQ(*m.sensorRelativeElevation, -2013770874.0 * 360 / 4294967294.0);
  EXPECT_DOUBLE_EQ(*m.sensorRelativeRoll, 0.0);
  EXPECT_DOUBLE_EQ(*m.slantRange, 58919206.0 * 5000000 / 4294967295.0);
  EXPECT_DOUBLE_EQ(*m.frameCenterLatitude, -251551191.0 * 180 / 4294967294.0);
  EXPECT_DOUBLE_EQ(*m.frameCenterLongitude, 347867179.0 * 360 / 4294967294.0);
  EXPECT_DOUBLE_EQ(*m.frameCenterElevation, 13555.0 * 19900 / 65535 - 900);
  EXPECT_EQ(m.version, 17);
  ASSERT_EQ(m.unknown.size(), 1u);
  EXPECT_EQ(m.unknown[0].tag, 94u);
  EXPECT_EQ(m.unknown[0].value, (Bytes{1, 2}));
}

TEST(Misb0601Test, EncodeRebuildsTheGoldenPacket) {
  auto r = Misb0601::decode(kGolden);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encode(), kGolden);
}

TEST(Misb0601Test, RejectsABadChecksum) {
  Bytes bad = kGolden;
  bad[40] ^= 0x01;
  auto r = Misb0601::decode(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, base::ErrorCode::Malformed);
  EXPECT_NE(r.error().message.find("checksum"), std::string::npos);
}

TEST(Misb0601Test, RejectsAMissingChecksumOtherKeysAndTruncation) {
  Misb0601 m;
  m.version = 17;
  Bytes noChecksum = m.encode();
  noChecksum.resize(noChecksum.size() - 4);
  noChecksum[16] = static_cast<std::uint8_t>(noChecksum.size() - 17);
  EXPECT_NE(Misb0601::decode(noChecksum).error().message.find("no checksum"), std::string::npos);

  Bytes otherKey = kGolden;
  otherKey[5] = 0x0c;
  EXPECT_EQ(Misb0601::decode(otherKey).error().code, base::ErrorCode::Unsupported);

  const Bytes truncated(kGolden.begin(), kGolden.end() - 3);
  EXPECT_EQ(Misb0601::decode(truncated).error().code, base::ErrorCode::Truncated);
}

TEST(Misb0601Test, RejectsAKnownTagWithTheWrongLength) {
  Misb0601 m;
  m.unknown.push_back({5, {1, 2, 3}});  // heading must be two bytes; written back as raw
  auto r = Misb0601::decode(m.encode());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("tag 5"), std::string::npos);
}

TEST(Misb0601Test, OutOfRangeSentinelDecodesToNanAndBack) {
  Misb0601 m;
  m.sensorLatitude = std::nan("");
  m.frameCenterLongitude = 200.0;  // outside ±180: the sentinel
  m.platformPitch = -20.0;
  const Bytes packet = m.encode();
  auto r = Misb0601::decode(packet);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_TRUE(std::isnan(*r->sensorLatitude));
  EXPECT_TRUE(std::isnan(*r->frameCenterLongitude));
  EXPECT_DOUBLE_EQ(*r->platformPitch, -20.0);
  // 0d 04 80 00 00 00: tag 13 with 0x80000000.
  const Bytes sentinel = {0x0d, 0x04, 0x80, 0x00, 0x00, 0x00};
  EXPECT_NE(std::search(packet.begin(), packet.end(), sentinel.begin(), sentinel.end()), packet.end());
}

TEST(Misb0601Test, EncodesValuesItDecodesToTheNearestStep) {
  Misb0601 m;
  m.precisionTimeStamp = 1700000000123456u;
  m.missionId = "OCELLUS";
  m.platformHeading = 90.0;
  m.sensorLatitude = 48.8566;
  m.sensorLongitude = 2.3522;
  m.sensorTrueAltitude = 1234.5;
  m.slantRange = 2500.0;
  m.version = 19;
  auto r = Misb0601::decode(m.encode());
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->precisionTimeStamp, m.precisionTimeStamp);
  EXPECT_EQ(r->missionId, m.missionId);
  EXPECT_NEAR(*r->platformHeading, 90.0, 360.0 / 65535);
  EXPECT_NEAR(*r->sensorLatitude, 48.8566, 1e-7);
  EXPECT_NEAR(*r->sensorLongitude, 2.3522, 1e-7);
  EXPECT_NEAR(*r->sensorTrueAltitude, 1234.5, 0.31);
  EXPECT_NEAR(*r->slantRange, 2500.0, 0.002);
  EXPECT_EQ(r->version, 19);
  EXPECT_FALSE(r->platformRoll.has_value());
  EXPECT_EQ(r->encode(), m.encode());
}

TEST(Misb0601Test, AcceptsAnyVersionByteInTheKey) {
  UniversalLabel key = kUasDatalinkKey;
  key[7] = 0x02;
  EXPECT_TRUE(Misb0601::isUasDatalinkKey(key));
  key[12] = 0x02;
  EXPECT_FALSE(Misb0601::isUasDatalinkKey(key));
}

}  // namespace
}  // namespace ocellus::codec::klv
