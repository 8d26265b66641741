#include "sources/testpattern/BitmapFont.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace ocellus::sources::testpattern {
namespace {

int countValue(const std::vector<std::uint8_t>& plane, std::uint8_t value) {
  return static_cast<int>(std::count(plane.begin(), plane.end(), value));
}

TEST(BitmapFontTest, HasTheOverlayCharacters) {
  for (char c : std::string_view("0123456789:.#OCELLUSUTC")) EXPECT_TRUE(BitmapFont::hasGlyph(c)) << c;
  EXPECT_FALSE(BitmapFont::hasGlyph(' '));
  EXPECT_FALSE(BitmapFont::hasGlyph('z'));
}

TEST(BitmapFontTest, TextWidthLeavesOutTrailingSpacing) {
  EXPECT_EQ(BitmapFont::textWidth("", 3), 0);
  EXPECT_EQ(BitmapFont::textWidth("8", 1), 5);
  EXPECT_EQ(BitmapFont::textWidth("00:00:00.000", 1), 71);
  EXPECT_EQ(BitmapFont::textWidth("00:00", 2), 58);
}

TEST(BitmapFontTest, DrawsScaledGlyphPixels) {
  // '8' has 17 set pixels in its 5x7 cell; at scale 2 each is a 2x2 square.
  std::vector<std::uint8_t> plane(20 * 20, 0);
  BitmapFont::draw("8", 1, 2, 2, 200, plane.data(), 20, 20, 20);
  EXPECT_EQ(countValue(plane, 200), 17 * 4);
  // Top row of '8' is .###. : columns 1..3 of the glyph, pixels x = 1 + 2..7, rows y = 2..3.
  EXPECT_EQ(plane[2 * 20 + 2], 0);
  EXPECT_EQ(plane[2 * 20 + 3], 200);
  EXPECT_EQ(plane[3 * 20 + 8], 200);
  EXPECT_EQ(plane[3 * 20 + 9], 0);
  EXPECT_EQ(plane[1 * 20 + 3], 0);
}

TEST(BitmapFontTest, UnknownCharactersAdvanceWithoutDrawing) {
  std::vector<std::uint8_t> one(40 * 10, 0);
  std::vector<std::uint8_t> spaced(40 * 10, 0);
  BitmapFont::draw("1", 6, 0, 1, 9, one.data(), 40, 10, 40);
  BitmapFont::draw("z1", 0, 0, 1, 9, spaced.data(), 40, 10, 40);
  EXPECT_EQ(one, spaced);
}

TEST(BitmapFontTest, ClipsToThePlane) {
  // Rows of 12 bytes of which 8 are picture: nothing may land in the padding or outside.
  std::vector<std::uint8_t> plane(12 * 8, 0);
  BitmapFont::draw("88", -4, -3, 2, 7, plane.data(), 8, 8, 12);
  BitmapFont::draw("88", 5, 5, 2, 7, plane.data(), 8, 8, 12);
  int inside = 0;
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 12; ++x) {
      if (x >= 8) {
        EXPECT_EQ(plane[y * 12 + x], 0) << x << "," << y;
      }
      inside += plane[y * 12 + x] == 7 ? 1 : 0;
    }
  }
  EXPECT_GT(inside, 0);
}

}  // namespace
}  // namespace ocellus::sources::testpattern
