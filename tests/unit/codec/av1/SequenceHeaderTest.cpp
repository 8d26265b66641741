#include "codec/av1/SequenceHeader.h"

#include <gtest/gtest.h>

#include "codec/av1/ConfigurationRecord.h"
#include "unit/codec/av1/Av1TestData.h"

namespace ocellus::codec::av1 {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Sequence header OBUs of 320x240 streams made by Debian's FFmpeg 5.1, and the av1C FFmpeg's MP4
// muxer wrote for each (its own reading of the same header: an independent oracle).
struct Made {
  const char* by;
  const char* obu;
  const char* av1c;
};
const Made kMade[] = {
    {"libaom 4:2:0", test::kSequenceHeaderHex, test::kAv1cHex},
    {"libaom 4:4:4", "0a0a200000043cffbcdaf902", "81200000 0a0a200000043cffbcdaf902"},
    {"libaom 10-bit", "0a0b000000043cffbcdaf94040", "81004c00 0a0b000000043cffbcdaf94040"},
    {"SVT-AV1", "0a0b000000043cffbcfbf90040", "81000c00 0a0b000000043cffbcfbf90040"},
    {"rav1e (level 31, timing info)", "0a0e000000fa1e7fde210ac8101010a0",
     "811f0c00 0a0e000000fa1e7fde210ac8101010a0"},
};

// The payload of a whole OBU with a one-byte header and a one-byte size.
std::span<const std::uint8_t> payloadOf(const Bytes& obu) { return std::span(obu).subspan(2); }

TEST(Av1SequenceHeaderTest, RecordsMatchWhatFfmpegWrites) {
  for (const auto& made : kMade) {
    SCOPED_TRACE(made.by);
    const Bytes obu = ocellus::test::hex(made.obu);
    auto record = ConfigurationRecord::fromSequenceHeader(obu);
    ASSERT_TRUE(record) << record.error().message;
    EXPECT_EQ(record->serialize(), ocellus::test::hex(made.av1c));
    EXPECT_EQ(record->header.maxWidth, 320u);
    EXPECT_EQ(record->header.maxHeight, 240u);
    auto parsed = ConfigurationRecord::parse(ocellus::test::hex(made.av1c));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, *record);
    EXPECT_EQ(Bytes(parsed->sequenceHeaderObu().begin(), parsed->sequenceHeaderObu().end()), obu);
  }
}

TEST(Av1SequenceHeaderTest, ReadsProfileDepthAndChromaFormat) {
  auto main420 = SequenceHeader::parse(payloadOf(ocellus::test::hex(kMade[0].obu)));
  ASSERT_TRUE(main420);
  EXPECT_EQ(main420->profile, 0);
  EXPECT_FALSE(main420->highBitdepth);
  EXPECT_TRUE(main420->subsamplingX && main420->subsamplingY);
  auto high444 = SequenceHeader::parse(payloadOf(ocellus::test::hex(kMade[1].obu)));
  ASSERT_TRUE(high444);
  EXPECT_EQ(high444->profile, 1);
  EXPECT_FALSE(high444->subsamplingX || high444->subsamplingY);
  auto tenBit = SequenceHeader::parse(payloadOf(ocellus::test::hex(kMade[2].obu)));
  ASSERT_TRUE(tenBit);
  EXPECT_TRUE(tenBit->highBitdepth);
  EXPECT_FALSE(tenBit->twelveBit);
  auto rav1e = SequenceHeader::parse(payloadOf(ocellus::test::hex(kMade[4].obu)));
  ASSERT_TRUE(rav1e);
  EXPECT_EQ(rav1e->levelIdx0, 31);
  EXPECT_EQ(rav1e->tier0, 0);
}

TEST(Av1SequenceHeaderTest, BadHeadersNameWhatIsWrong) {
  const Bytes obu = test::sequenceHeaderObu();
  const Bytes payload(obu.begin() + 2, obu.end());
  for (std::size_t n = 0; n + 1 < payload.size(); ++n) {
    auto cut = SequenceHeader::parse(std::span(payload).first(n));
    ASSERT_FALSE(cut) << n;
    EXPECT_EQ(cut.error().code, base::ErrorCode::Truncated);
  }
  Bytes reserved = payload;
  reserved[0] |= 0xe0;  // seq_profile 7
  auto bad = SequenceHeader::parse(reserved);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, base::ErrorCode::Unsupported);
  EXPECT_NE(bad.error().message.find("seq_profile 7"), std::string::npos);
}

TEST(Av1SequenceHeaderTest, FindsTheSequenceHeaderOfATemporalUnit) {
  const Bytes header = test::sequenceHeaderObu();
  const Bytes& frame = test::kKeyFrameObu;
  Bytes unit = test::kTemporalDelimiter;
  unit.insert(unit.end(), header.begin(), header.end());
  unit.insert(unit.end(), frame.begin(), frame.end());
  auto found = findSequenceHeader(unit);
  ASSERT_TRUE(found);
  EXPECT_EQ(Bytes(found->whole.begin(), found->whole.end()), header);
  EXPECT_FALSE(findSequenceHeader(frame));
  unit.pop_back();  // the frame OBU now runs past the end
  EXPECT_FALSE(findSequenceHeader(unit));
}

TEST(Av1ConfigurationRecordTest, RefusesBadRecords) {
  const Bytes good = test::av1c();
  const auto refused = [](const Bytes& bytes, base::ErrorCode code, std::string_view says) {
    auto r = ConfigurationRecord::parse(bytes);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code);
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
  };
  refused(Bytes(good.begin(), good.begin() + 3), base::ErrorCode::Truncated, "4 fixed bytes");
  Bytes version = good;
  version[0] = 0x82;
  refused(version, base::ErrorCode::Unsupported, "0x82");
  refused(Bytes(good.begin(), good.begin() + 4), base::ErrorCode::Malformed, "without a sequence header");
  refused(Bytes(good.begin(), good.end() - 1), base::ErrorCode::Malformed, "cut short");
  Bytes noSize = good;
  noSize[4] = 0x08;  // the sequence header OBU without obu_has_size_field
  refused(noSize, base::ErrorCode::Malformed, "size field");
  Bytes mismatch = good;
  mismatch[1] = 0x01;  // level 1 where the header says 0
  refused(mismatch, base::ErrorCode::Malformed, "differ");
  EXPECT_FALSE(ConfigurationRecord::fromSequenceHeader(Bytes{0x32, 0x00}));  // a frame OBU
}

}  // namespace
}  // namespace ocellus::codec::av1
