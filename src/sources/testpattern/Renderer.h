#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/Result.h"

namespace ocellus::sources::testpattern {

// Draws the demo camera's picture as I420: 75% colour bars with a bouncing, colour-cycling box
// (so a viewer sees motion), the title "OCELLUS", a large UTC wall clock "HH:MM:SS.mmm" with the
// frame number under it, and the machine-readable timestamp band (TimestampCodec) at the bottom.
// Colours are BT.601 limited range. Rendering allocates nothing; a Renderer is immutable, cheap
// to copy, and safe to use from several threads at once.
class Renderer {
 public:
  static constexpr int kMinWidth = 128;
  static constexpr int kMinHeight = 96;
  static constexpr int kMaxWidth = 4096;
  static constexpr int kMaxHeight = 4096;

  // Fails with InvalidArgument unless width and height are even and within the limits above.
  static base::Result<Renderer> create(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  // Bytes of one frame: the Y plane (width x height), then U and V (width/2 x height/2 each).
  std::size_t frameSize() const { return static_cast<std::size_t>(width_) * height_ * 3 / 2; }

  // Draws frame `frameNumber` showing `wallMs` (milliseconds since the Unix epoch) into the first
  // frameSize() bytes of `i420`, laid out as above, writing every one of them. Returns false, and
  // draws nothing, if `i420` is smaller than that.
  bool render(std::span<std::uint8_t> i420, std::uint64_t frameNumber, std::uint64_t wallMs) const;

  // "HH:MM:SS.mmm", the UTC time of day of `wallMs`.
  static std::array<char, 12> clockText(std::uint64_t wallMs);

 private:
  struct Rect {
    int x = 0;
    int y = 0;
    int w = 0;
    int h = 0;
  };

  Renderer(int width, int height);

  int width_;
  int height_;
  int pictureHeight_;  // rows above the timestamp band
  int clockScale_;
  int numberScale_;
  Rect textBox_;
  int titleScale_;
  Rect titleBox_;
  int boxSize_;
  int stepX_;
  int stepY_;
};

}  // namespace ocellus::sources::testpattern
