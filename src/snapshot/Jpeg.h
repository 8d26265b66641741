#pragma once

#include <cstdint>
#include <vector>

#include "base/Clock.h"

namespace ocellus::snapshot {

// A snapshot: a baseline JFIF picture (YCbCr 4:2:0, full range) and when its frame arrived.
struct Jpeg {
  std::vector<std::uint8_t> bytes;
  int width = 0;
  int height = 0;
  base::WallTime frameTime;  // when the server received the pictured frame
};

}  // namespace ocellus::snapshot
