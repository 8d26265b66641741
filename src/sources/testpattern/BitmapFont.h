#pragma once

#include <cstdint>
#include <string_view>

namespace ocellus::sources::testpattern {

// A 5x7 pixel font for the test pattern's overlay: digits, ':', '.', '#', ' ' and the letters
// of "OCELLUS" and "UTC". Other characters draw as blanks. Each glyph is scaled by an integer
// factor and advances 6 columns (one column of spacing).
class BitmapFont {
 public:
  static constexpr int kGlyphWidth = 5;
  static constexpr int kGlyphHeight = 7;
  static constexpr int kAdvance = kGlyphWidth + 1;

  // Whether `c` has a glyph (rather than drawing blank).
  static bool hasGlyph(char c);

  // Pixel width of `text` at `scale`, without trailing spacing.
  static int textWidth(std::string_view text, int scale);

  // Sets the glyph pixels of `text` to `value` in a width x height plane, top-left corner at
  // (x, y), clipped to the plane. Pixels between glyph strokes are left as they are.
  static void draw(std::string_view text, int x, int y, int scale, std::uint8_t value, std::uint8_t* plane,
                   int width, int height, int stride);
};

}  // namespace ocellus::sources::testpattern
