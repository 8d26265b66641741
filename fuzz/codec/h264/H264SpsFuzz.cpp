// Parses arbitrary bytes as an H.264 SPS and checks what a successful parse promises.
#include <cstdlib>

#include "codec/h264/Sps.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto sps = ocellus::codec::h264::Sps::parse({data, size});
  if (!sps) return 0;
  if (sps->width == 0 || sps->height == 0 || sps->width > 32768 || sps->height > 32768) std::abort();
  if (sps->chromaFormatIdc > 3 || sps->profileLevelId().size() != 6) std::abort();
  if (sps->fps && !(*sps->fps > 0)) std::abort();
  return 0;
}
