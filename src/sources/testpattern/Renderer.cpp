#include "sources/testpattern/Renderer.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>

#include "sources/testpattern/BitmapFont.h"
#include "sources/testpattern/TimestampCodec.h"

namespace ocellus::sources::testpattern {

namespace {

struct Yuv {
  std::uint8_t y;
  std::uint8_t u;
  std::uint8_t v;
};

// 75% colour bars, BT.601 limited range (ITU-R BT.801): white, yellow, cyan, green, magenta,
// red, blue.
constexpr std::array<Yuv, 7> kBars{Yuv{180, 128, 128}, Yuv{162, 44, 142}, Yuv{131, 156, 44}, Yuv{112, 72, 58},
                                   Yuv{84, 184, 198},  Yuv{65, 100, 212}, Yuv{35, 212, 114}};
constexpr Yuv kBlack{16, 128, 128};
constexpr std::uint8_t kTextLuma = 235;
constexpr std::string_view kTitle = "OCELLUS";
constexpr std::string_view kClockPattern = "00:00:00.000";
constexpr int kBoxColourFrames = 30;  // the box changes colour this often

struct Planes {
  std::uint8_t* y;
  std::uint8_t* u;
  std::uint8_t* v;
  int width;  // luma width; chroma planes are half as wide
};

// Fills an even-aligned rectangle in all three planes.
void fill(const Planes& p, int x, int y, int w, int h, Yuv c) {
  for (int row = y; row < y + h; ++row) {
    std::memset(p.y + static_cast<std::ptrdiff_t>(row) * p.width + x, c.y, w);
  }
  const int cw = p.width / 2;
  for (int row = y / 2; row < (y + h) / 2; ++row) {
    std::memset(p.u + static_cast<std::ptrdiff_t>(row) * cw + x / 2, c.u, w / 2);
    std::memset(p.v + static_cast<std::ptrdiff_t>(row) * cw + x / 2, c.v, w / 2);
  }
}

int even(int v) {
  return v & ~1;
}
int evenUp(int v) {
  return (v + 1) & ~1;
}

// Position at time `t` of a point bouncing between 0 and `range`.
int bounce(std::uint64_t t, int range) {
  if (range <= 0) return 0;
  const auto period = static_cast<std::uint64_t>(range) * 2;
  const auto p = static_cast<int>(t % period);
  return p <= range ? p : 2 * range - p;
}

}  // namespace

base::Result<Renderer> Renderer::create(int width, int height) {
  if (width % 2 != 0 || height % 2 != 0 || width < kMinWidth || width > kMaxWidth || height < kMinHeight ||
      height > kMaxHeight) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "test pattern size " + std::to_string(width) + "x" + std::to_string(height) +
                               " must be even and within " + std::to_string(kMinWidth) + "x" +
                               std::to_string(kMinHeight) + ".." + std::to_string(kMaxWidth) + "x" +
                               std::to_string(kMaxHeight));
  }
  return Renderer(width, height);
}

Renderer::Renderer(int width, int height)
    : width_(width), height_(height), pictureHeight_(height - TimestampCodec::bandHeight(height)) {
  // The clock spans up to 3/4 of the width and 1/6 of the picture height.
  clockScale_ = std::max(1, std::min(width * 3 / 4 / BitmapFont::textWidth(kClockPattern, 1),
                                     pictureHeight_ / (6 * BitmapFont::kGlyphHeight)));
  numberScale_ = std::max(1, clockScale_ / 2);
  const int pad = clockScale_;
  const int textHeight =
      (BitmapFont::kGlyphHeight + 2) * clockScale_ + BitmapFont::kGlyphHeight * numberScale_;
  const int boxW = evenUp(BitmapFont::textWidth(kClockPattern, clockScale_) + 2 * pad);
  const int boxH = evenUp(textHeight + 2 * pad);
  textBox_ = Rect{even((width - boxW) / 2), even((pictureHeight_ - boxH) / 2), boxW, boxH};

  titleScale_ = std::max(1, clockScale_ / 3);
  const int titlePad = 2 * titleScale_;
  titleBox_ = Rect{titlePad, titlePad, evenUp(BitmapFont::textWidth(kTitle, titleScale_) + 2 * titlePad),
                   evenUp(BitmapFont::kGlyphHeight * titleScale_ + 2 * titlePad)};

  boxSize_ = std::max(8, even(std::min(width, pictureHeight_) / 5));
  stepX_ = std::max(2, even(width / 128));
  stepY_ = std::max(2, even(pictureHeight_ / 96));
}

std::array<char, 12> Renderer::clockText(std::uint64_t wallMs) {
  const std::uint64_t dayMs = wallMs % (24ULL * 3600 * 1000);
  const auto put2 = [](char* at, std::uint64_t v) {
    at[0] = static_cast<char>('0' + v / 10);
    at[1] = static_cast<char>('0' + v % 10);
  };
  std::array<char, 12> text{};
  std::copy(kClockPattern.begin(), kClockPattern.end(), text.begin());
  put2(&text[0], dayMs / 3'600'000);
  put2(&text[3], dayMs / 60'000 % 60);
  put2(&text[6], dayMs / 1000 % 60);
  text[9] = static_cast<char>('0' + dayMs / 100 % 10);
  put2(&text[10], dayMs % 100);
  return text;
}

bool Renderer::render(std::span<std::uint8_t> i420, std::uint64_t frameNumber, std::uint64_t wallMs) const {
  if (i420.size() < frameSize()) return false;
  const std::size_t lumaSize = static_cast<std::size_t>(width_) * height_;
  const Planes planes{i420.data(), i420.data() + lumaSize, i420.data() + lumaSize + lumaSize / 4, width_};

  int barStart = 0;
  for (std::size_t i = 0; i < kBars.size(); ++i) {
    const int barEnd = i + 1 == kBars.size() ? width_ : even(static_cast<int>(i + 1) * width_ / 7);
    fill(planes, barStart, 0, barEnd - barStart, pictureHeight_, kBars[i]);
    barStart = barEnd;
  }

  // The box bounces across the picture with a black outline, changing colour every second at 30 fps.
  const int boxX = even(bounce(frameNumber * stepX_, width_ - boxSize_));
  const int boxY = even(bounce(frameNumber * stepY_, pictureHeight_ - boxSize_));
  const int outline = std::max(2, even(boxSize_ / 16));
  fill(planes, boxX, boxY, boxSize_, boxSize_, kBlack);
  fill(planes, boxX + outline, boxY + outline, boxSize_ - 2 * outline, boxSize_ - 2 * outline,
       kBars[(frameNumber / kBoxColourFrames + 1) % kBars.size()]);

  fill(planes, titleBox_.x, titleBox_.y, titleBox_.w, titleBox_.h, kBlack);
  const int titlePad = 2 * titleScale_;
  BitmapFont::draw(kTitle, titleBox_.x + titlePad, titleBox_.y + titlePad, titleScale_, kTextLuma, planes.y,
                   width_, height_, width_);

  fill(planes, textBox_.x, textBox_.y, textBox_.w, textBox_.h, kBlack);
  const std::array<char, 12> clock = clockText(wallMs);
  const int pad = clockScale_;
  BitmapFont::draw({clock.data(), clock.size()}, textBox_.x + pad, textBox_.y + pad, clockScale_, kTextLuma,
                   planes.y, width_, height_, width_);
  // "UTC #<frame>" under the clock, centred.
  std::array<char, 32> line{'U', 'T', 'C', ' ', '#'};
  const char* end = std::to_chars(line.data() + 5, line.data() + line.size(), frameNumber).ptr;
  const std::string_view number(line.data(), end - line.data());
  BitmapFont::draw(number, (width_ - BitmapFont::textWidth(number, numberScale_)) / 2,
                   textBox_.y + pad + (BitmapFont::kGlyphHeight + 2) * clockScale_, numberScale_, kTextLuma,
                   planes.y, width_, height_, width_);

  fill(planes, 0, pictureHeight_, width_, height_ - pictureHeight_, kBlack);
  TimestampCodec::encode(wallMs, planes.y, width_, height_, width_);
  return true;
}

}  // namespace ocellus::sources::testpattern
