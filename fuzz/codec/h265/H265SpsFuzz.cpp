// Parses arbitrary bytes as an H.265 SPS and checks what a successful parse promises.
#include <cstdlib>

#include "codec/h265/Sps.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto sps = ocellus::codec::h265::Sps::parse({data, size});
  if (!sps) return 0;
  if (sps->width == 0 || sps->height == 0 || sps->width > 32768 || sps->height > 32768) std::abort();
  if (sps->chromaFormatIdc > 3 || sps->profileSpace > 3 || sps->profileIdc > 31) std::abort();
  if (sps->constraintFlags >> 48 != 0 || sps->bitDepthLuma > 16 || sps->bitDepthChroma > 16) std::abort();
  return 0;
}
