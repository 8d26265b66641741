#include "proto/webrtc/H264ProfileLevelId.h"

#include <gtest/gtest.h>

namespace ocellus::proto::webrtc {
namespace {

using Profile = H264ProfileLevelId::Profile;

H264ProfileLevelId id(std::string_view hex) {
  auto v = H264ProfileLevelId::parse(hex);
  EXPECT_TRUE(v.has_value()) << hex;
  return v.value_or(H264ProfileLevelId{});
}

TEST(H264ProfileLevelIdTest, ParseAndFormat) {
  const auto v = id("42E01F");
  EXPECT_EQ(v.profileIdc, 0x42);
  EXPECT_EQ(v.profileIop, 0xe0);
  EXPECT_EQ(v.levelIdc, 0x1f);
  EXPECT_EQ(v.toString(), "42e01f");
  EXPECT_FALSE(H264ProfileLevelId::parse("42e01").has_value());
  EXPECT_FALSE(H264ProfileLevelId::parse("42e01f0").has_value());
  EXPECT_FALSE(H264ProfileLevelId::parse("42e0xf").has_value());
  EXPECT_FALSE(H264ProfileLevelId::parse("+2e01f").has_value());
  // RFC 6184 §8.1 default: Baseline, level 1.0.
  EXPECT_EQ(H264ProfileLevelId{}.toString(), "42000a");
}

TEST(H264ProfileLevelIdTest, ProfilesOfWhatBrowsersOffer) {
  // Chromium 156 (tests/data/webrtc/sdp/chromium156_whep_offer.sdp) and common sources.
  EXPECT_EQ(id("42001f").profile(), Profile::Baseline);
  EXPECT_EQ(id("42e01f").profile(), Profile::ConstrainedBaseline);
  EXPECT_EQ(id("42c01f").profile(), Profile::ConstrainedBaseline);
  EXPECT_EQ(id("4d001f").profile(), Profile::Main);
  EXPECT_EQ(id("4d801f").profile(), Profile::ConstrainedBaseline);  // Main with set0: also Baseline
  EXPECT_EQ(id("58c01f").profile(), Profile::ConstrainedBaseline);
  EXPECT_EQ(id("58801f").profile(), Profile::Baseline);
  EXPECT_EQ(id("58001f").profile(), Profile::Extended);
  EXPECT_EQ(id("64001f").profile(), Profile::High);
  EXPECT_EQ(id("640c1f").profile(), Profile::ConstrainedHigh);
  EXPECT_EQ(id("64081f").profile(), Profile::ProgressiveHigh);
  EXPECT_EQ(id("6e001f").profile(), Profile::High10);
  EXPECT_EQ(id("7a001f").profile(), Profile::High422);
  EXPECT_EQ(id("f4001f").profile(), Profile::High444);
  EXPECT_EQ(id("2c001f").profile(), Profile::Other);  // CAVLC 4:4:4 Intra
}

TEST(H264ProfileLevelIdTest, WhichDecoderTakesWhichStream) {
  const auto cb = id("42e01f");
  // A Constrained Baseline stream plays everywhere.
  for (const auto* decoder : {"42e01f", "42001f", "4d001f", "58001f", "640c1f", "64001f", "f4001f"}) {
    EXPECT_TRUE(id(decoder).decodes(cb)) << decoder;
  }
  // Baseline (with FMO/ASO) needs a Baseline or Extended decoder.
  EXPECT_TRUE(id("42001f").decodes(id("42001f")));
  EXPECT_TRUE(id("58001f").decodes(id("42001f")));
  EXPECT_FALSE(id("42e01f").decodes(id("42001f")));
  EXPECT_FALSE(id("4d001f").decodes(id("42001f")));
  // Main inside High, not inside Constrained High (B-frames, interlace).
  EXPECT_TRUE(id("64001f").decodes(id("4d001f")));
  EXPECT_TRUE(id("f4001f").decodes(id("4d001f")));
  EXPECT_FALSE(id("640c1f").decodes(id("4d001f")));
  EXPECT_FALSE(id("42e01f").decodes(id("4d001f")));
  // The High chain.
  const auto constrainedHigh = id("640c1f");
  EXPECT_TRUE(id("640c1f").decodes(constrainedHigh));
  EXPECT_TRUE(id("64001f").decodes(constrainedHigh));
  EXPECT_TRUE(id("f4001f").decodes(constrainedHigh));
  EXPECT_FALSE(id("42e01f").decodes(constrainedHigh));
  EXPECT_FALSE(id("42001f").decodes(constrainedHigh));
  EXPECT_FALSE(id("4d001f").decodes(constrainedHigh));
  EXPECT_FALSE(id("640c1f").decodes(id("64001f")));
  EXPECT_FALSE(id("64001f").decodes(id("6e001f")));
  // Other profiles match byte for byte (level aside).
  EXPECT_TRUE(id("2c0028").decodes(id("2c001f")));
  EXPECT_FALSE(id("2c101f").decodes(id("2c001f")));
  EXPECT_FALSE(id("f4001f").decodes(id("2c001f")));
}

TEST(H264ProfileLevelIdTest, Levels) {
  EXPECT_EQ(id("42e01f").levelRank(), 310);
  EXPECT_EQ(id("640028").levelRank(), 400);
  // Level 1b: level_idc 11 with constraint_set3 for Baseline/Main/Extended, 9 otherwise.
  EXPECT_TRUE(id("42f00b").isLevel1b());
  EXPECT_FALSE(id("42e00b").isLevel1b());
  EXPECT_FALSE(id("64100b").isLevel1b());  // set3 means something else for High
  EXPECT_TRUE(id("640009").isLevel1b());
  EXPECT_LT(id("42e00a").levelRank(), id("42f00b").levelRank());
  EXPECT_LT(id("42f00b").levelRank(), id("42e00b").levelRank());

  EXPECT_EQ(id("42001f").withLevelOf(id("42e028")).toString(), "420028");
  EXPECT_EQ(id("42001f").withLevelOf(id("640009")).toString(), "42100b");  // 1b, Baseline spelling
  EXPECT_EQ(id("64001f").withLevelOf(id("42f00b")).toString(), "640009");  // 1b, High spelling
  EXPECT_EQ(id("42f00b").withLevelOf(id("42e01f")).toString(), "42e01f");  // set3 no longer 1b
}

}  // namespace
}  // namespace ocellus::proto::webrtc
