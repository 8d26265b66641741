#include "sources/testpattern/BitmapFont.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace ocellus::sources::testpattern {

namespace {

struct Glyph {
  char c;
  std::array<std::uint8_t, BitmapFont::kGlyphHeight> rows;  // bit 4 is the leftmost column
};

constexpr std::array kGlyphs{
    Glyph{'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},
    Glyph{'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    Glyph{'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},
    Glyph{'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    Glyph{'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},
    Glyph{'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    Glyph{'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},
    Glyph{'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    Glyph{'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},
    Glyph{'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    Glyph{':', {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00}},
    Glyph{'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C}},
    Glyph{'#', {0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A}},
    Glyph{'C', {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}},
    Glyph{'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}},
    Glyph{'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}},
    Glyph{'O', {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    Glyph{'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}},
    Glyph{'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
    Glyph{'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
};

const Glyph* find(char c) {
  const auto it = std::find_if(kGlyphs.begin(), kGlyphs.end(), [c](const Glyph& g) { return g.c == c; });
  return it == kGlyphs.end() ? nullptr : &*it;
}

}  // namespace

bool BitmapFont::hasGlyph(char c) {
  return find(c) != nullptr;
}

int BitmapFont::textWidth(std::string_view text, int scale) {
  return text.empty() ? 0 : (static_cast<int>(text.size()) * kAdvance - 1) * scale;
}

void BitmapFont::draw(std::string_view text, int x, int y, int scale, std::uint8_t value, std::uint8_t* plane,
                      int width, int height, int stride) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const Glyph* glyph = find(text[i]);
    if (glyph == nullptr) continue;
    const int left = x + static_cast<int>(i) * kAdvance * scale;
    for (int row = 0; row < kGlyphHeight; ++row) {
      for (int col = 0; col < kGlyphWidth; ++col) {
        if (((glyph->rows[row] >> (kGlyphWidth - 1 - col)) & 1) == 0) continue;
        // One font pixel is a scale x scale square, clipped to the plane.
        const int x0 = std::max(0, left + col * scale);
        const int x1 = std::min(width, left + (col + 1) * scale);
        const int y0 = std::max(0, y + row * scale);
        const int y1 = std::min(height, y + (row + 1) * scale);
        for (int py = y0; py < y1 && x0 < x1; ++py) {
          std::memset(plane + static_cast<std::ptrdiff_t>(py) * stride + x0, value, x1 - x0);
        }
      }
    }
  }
}

}  // namespace ocellus::sources::testpattern
