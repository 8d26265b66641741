#include "codec/av1/Obu.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/codec/av1/Av1TestData.h"

namespace ocellus::codec::av1 {
namespace {

using Bytes = std::vector<std::uint8_t>;

// OBU headers with obu_has_size_field: sequence header 0x0a, temporal delimiter 0x12, frame 0x32.
const Bytes kSequenceHeader = {0x0a, 0x03, 0x00, 0x00, 0x00};  // seq_profile 0, not reduced
const Bytes& kKeyFrame = test::kKeyFrameObu;                  // show_existing 0, KEY_FRAME, shown
const Bytes& kInterFrame = test::kInterFrameObu;               // frame_type INTER (1), shown
const Bytes kHiddenKey = {0x32, 0x02, 0x00, 0xcc};             // KEY_FRAME, show_frame 0

Bytes join(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(Av1ObuTest, Leb128RoundTrip) {
  for (std::uint32_t v : {0u, 1u, 127u, 128u, 300u, 16383u, 16384u, 0xffffffffu}) {
    Bytes out;
    writeLeb128(v, out);
    base::ByteReader r(out);
    EXPECT_EQ(readLeb128(r), v);
    EXPECT_TRUE(r.empty());
  }
  const Bytes tooLong(9, 0x80);
  base::ByteReader r(tooLong);
  EXPECT_FALSE(readLeb128(r));
}

TEST(Av1ObuTest, ParsesWithAndWithoutSizeField) {
  std::size_t consumed = 0;
  const auto sized = parseObu(join({kKeyFrame, {0x99}}), consumed);
  ASSERT_TRUE(sized);
  EXPECT_EQ(sized->type, ObuType::Frame);
  EXPECT_EQ(consumed, kKeyFrame.size());
  EXPECT_EQ(sized->payload.size(), 3u);
  EXPECT_EQ(sized->whole.size(), kKeyFrame.size());
  const Bytes bare = {0x30, 0x10, 0xaa};  // no size field: the rest
  const auto unsized = parseObu(bare, consumed);
  ASSERT_TRUE(unsized);
  EXPECT_EQ(unsized->payload.size(), 2u);
  EXPECT_FALSE(parseObu(Bytes{0x32, 0x05, 0x00}, consumed));  // size past the end
  EXPECT_FALSE(parseObu(Bytes{0xb2, 0x00}, consumed));        // forbidden bit
  EXPECT_FALSE(parseObu(Bytes{0x36}, consumed));              // extension byte missing
}

TEST(Av1ObuTest, KeyframeNeedsSequenceHeaderAndShownKeyFrame) {
  EXPECT_TRUE(isKeyframe(join({kSequenceHeader, kKeyFrame})));
  EXPECT_FALSE(isKeyframe(kKeyFrame));
  EXPECT_FALSE(isKeyframe(join({kSequenceHeader, kInterFrame})));
  EXPECT_FALSE(isKeyframe(join({kSequenceHeader, kHiddenKey})));
  EXPECT_FALSE(isKeyframe(join({kSequenceHeader, {0x32, 0x09}})));  // truncated
  // A reduced still picture header: every frame is a key frame.
  EXPECT_TRUE(isKeyframe(join({{0x0a, 0x01, 0x18}, kInterFrame})));
}

TEST(Av1ObuTest, ForEachObuNeedsSizeFields) {
  int count = 0;
  EXPECT_TRUE(forEachObu(join({kSequenceHeader, kInterFrame}), [&](const Obu&) { ++count; }));
  EXPECT_EQ(count, 2);
  EXPECT_FALSE(forEachObu(Bytes{0x30, 0x10}, [](const Obu&) {}));
}

}  // namespace
}  // namespace ocellus::codec::av1
