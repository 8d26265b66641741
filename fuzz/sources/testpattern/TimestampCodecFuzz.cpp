// Reads the timestamp band from arbitrary pixels: byte 0 picks the width, byte 1 the stride
// padding, the rest is the plane. Whatever decodes must re-encode and decode to the same value.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "sources/testpattern/TimestampCodec.h"

using ocellus::sources::testpattern::TimestampCodec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int width = TimestampCodec::kMinWidth + data[0] * 4;
  const int stride = width + data[1] % 16;
  const int height = static_cast<int>((size - 2) / static_cast<std::size_t>(stride));
  if (height == 0) return 0;
  std::vector<std::uint8_t> plane(data + 2, data + 2 + static_cast<std::size_t>(stride) * height);

  const auto ms = TimestampCodec::decode(plane.data(), width, height, stride);
  if (!ms) return 0;
  if (*ms > TimestampCodec::kMaxMillis) std::abort();
  TimestampCodec::encode(*ms, plane.data(), width, height, stride);
  if (TimestampCodec::decode(plane.data(), width, height, stride) != ms) std::abort();
  return 0;
}
