#include "rtp/Payloader.h"

#include <gtest/gtest.h>

#include "codec/h264/Nal.h"
#include "codec/h265/Nal.h"
#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using codec::CodecId;
using test::Bytes;

std::vector<Bytes> h264Units(const std::string& path) {
  return test::accessUnits(ocellus::test::readTestData(path),
                           [](auto nal) { return codec::h264::isVcl(codec::h264::nalType(nal[0])); });
}

std::vector<Bytes> h265Units(const std::string& path) {
  return test::accessUnits(ocellus::test::readTestData(path),
                           [](auto nal) { return codec::h265::isVcl(codec::h265::nalType(nal[0])); });
}

struct RoundTripCase {
  CodecId codec;
  std::size_t maxPayloadSize;
  int packetizationMode;
};

// Whole files through makePacketizer and makeDepacketizer: the units come back byte for byte,
// at several payload sizes (small ones force FU-A/FU on every picture).
TEST(PayloaderTest, VideoFilesRoundTrip) {
  const std::vector<Bytes> h264[] = {h264Units("h264/testsrc_320x240.h264"),
                                     h264Units("h264/testsrc_1280x720_high.h264"),
                                     h264Units("h264/testsrc_320x180_interlaced.h264")};
  const std::vector<Bytes> h265 = h265Units("h265/testsrc_426x240.h265");
  for (const auto& c : {RoundTripCase{CodecId::H264, 1200, 1}, RoundTripCase{CodecId::H264, 100, 1},
                        RoundTripCase{CodecId::H264, 65535, 0}, RoundTripCase{CodecId::H265, 1200, 1},
                        RoundTripCase{CodecId::H265, 64, 1}}) {
    PayloadParams params;
    params.codec = c.codec;
    params.maxPayloadSize = c.maxPayloadSize;
    params.packetizationMode = c.packetizationMode;
    for (const auto& units : c.codec == CodecId::H264 ? std::vector(std::begin(h264), std::end(h264))
                                                      : std::vector<std::vector<Bytes>>{h265}) {
      ASSERT_FALSE(units.empty());
      auto packetizer = makePacketizer(params);
      auto depacketizer = makeDepacketizer(params);
      const auto out = test::roundTrip(*packetizer, *depacketizer, units);
      EXPECT_EQ(out.units, units) << codecName(c.codec) << " " << c.maxPayloadSize;
      EXPECT_TRUE(out.keyframes.at(0));
      EXPECT_EQ(packetizer->dropped(), 0u);
      EXPECT_EQ(depacketizer->droppedUnits(), 0u);
    }
  }
}

TEST(PayloaderTest, H264ModeZeroFromParams) {
  PayloadParams params;
  params.packetizationMode = 0;
  auto packetizer = makePacketizer(params);
  Bytes unit;
  codec::appendNal(Bytes(2000, 0x41), unit);
  EXPECT_TRUE(test::packetize(*packetizer, unit).empty());
  EXPECT_EQ(packetizer->dropped(), 1u);
}

TEST(PayloaderTest, AudioFormats) {
  for (CodecId codec : {CodecId::AAC, CodecId::Opus, CodecId::PCMU, CodecId::PCMA}) {
    PayloadParams params;
    params.codec = codec;
    auto packetizer = makePacketizer(params);
    auto depacketizer = makeDepacketizer(params);
    ASSERT_TRUE(packetizer && depacketizer);
    const std::vector<Bytes> frames = {Bytes(160, 0x11), Bytes(7, 0x22), Bytes(1000, 0x33)};
    const auto out = test::roundTrip(*packetizer, *depacketizer, frames, 1024);
    EXPECT_EQ(out.units, frames) << codecName(codec);
    EXPECT_EQ(out.timestamps, (std::vector<std::uint32_t>{0, 1024, 2048})) << codecName(codec);
  }
}

}  // namespace
}  // namespace ocellus::rtp
