#pragma once

#include "base/Result.h"
#include "snapshot/Jpeg.h"
#include "sources/ffmpeg/Library.h"

namespace ocellus::snapshot {

// Scales a decoded picture with libswscale (bicubic) and encodes it as JPEG with libavcodec's
// mjpeg encoder. JFIF is full-range BT.601 YCbCr (JFIF 1.02 §7), so a limited-range source
// (most cameras) is expanded on the way: copied as is, its blacks would turn grey and the
// picture look washed out. Stateless: calls on different threads are independent.
class JpegEncoder {
 public:
  struct Size {
    int width = 0;
    int height = 0;
    bool operator==(const Size&) const = default;
  };
  // The scaled size for a requested width: the picture's own size for 0, else `width` wide and
  // the height that keeps the picture's aspect, rounded to even (4:2:0 chroma).
  static Size scaledSize(Size picture, int width);

  // `quality` is the mjpeg quantizer scale, 2 (best, largest) .. 31. frameTime is left empty.
  static base::Result<Jpeg> encode(const AVFrame& picture, int width, int quality);
};

}  // namespace ocellus::snapshot
