#include "format/mpegts/Psi.h"

#include <gtest/gtest.h>

#include "base/ByteReader.h"
#include "format/mpegts/Crc32.h"

namespace ocellus::format::mpegts {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(PsiTest, Crc32IsTheMpeg2Crc) {
  const std::string check = "123456789";
  EXPECT_EQ(crc32(base::asBytes(check)), 0x0376e6e7u);  // CRC-32/MPEG-2 check value
}

// The PAT ffmpeg writes (service 1, PMT PID 0x1000), byte for byte.
TEST(PsiTest, SerializesThePatFfmpegWrites) {
  Pat pat;
  pat.programs.push_back({1, 0x1000});
  const Bytes expected = {0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00,
                          0x00, 0x01, 0xf0, 0x00, 0x2a, 0xb1, 0x04, 0xb2};
  EXPECT_EQ(pat.serialize(), expected);
  auto parsed = Pat::parse(expected);
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(*parsed, pat);
}

TEST(PsiTest, PmtRoundTripsWithDescriptors) {
  Pmt pmt;
  pmt.version = 3;
  pmt.pcrPid = 0x100;
  pmt.streams.push_back({0x1b, 0x100, {}});
  pmt.streams.push_back({0x06, 0x102, {kRegistrationDescriptor, 4, 'K', 'L', 'V', 'A'}});
  const Bytes section = pmt.serialize();
  auto parsed = Pmt::parse(section);
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(*parsed, pmt);
  EXPECT_TRUE(hasKlvaDescriptor(parsed->streams[1].descriptors));
  EXPECT_FALSE(hasKlvaDescriptor(parsed->streams[0].descriptors));
}

TEST(PsiTest, RejectsBadCrcAndLengths) {
  Pat pat;
  pat.programs.push_back({1, 0x1000});
  Bytes section = pat.serialize();
  section[9] ^= 0x01;
  auto r = Pat::parse(section);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("CRC"), std::string::npos);
  section = pat.serialize();
  section.pop_back();
  EXPECT_FALSE(Pat::parse(section).ok());
  EXPECT_FALSE(Pmt::parse(pat.serialize()).ok());  // wrong table_id
  EXPECT_FALSE(Pat::parse(Bytes{0x00, 0xb0}).ok());
}

TEST(PsiTest, FindsKlvaInAMetadataDescriptor) {
  // metadata_descriptor: application 0x0100, format 0xFF + 'KLVA', service id 0, flags...
  const Bytes d = {kMetadataDescriptor, 9, 0x01, 0x00, 0xff, 'K', 'L', 'V', 'A', 0x00, 0x0f};
  EXPECT_TRUE(hasKlvaDescriptor(d));
  const Bytes truncated = {kRegistrationDescriptor, 8, 'K', 'L'};
  EXPECT_FALSE(hasKlvaDescriptor(truncated));
}

}  // namespace
}  // namespace ocellus::format::mpegts
