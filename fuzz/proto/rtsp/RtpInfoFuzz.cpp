// RtpInfo::parseList must never crash; what it parses must survive formatList -> parseList.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/rtsp/RtpInfo.h"

using namespace ocellus::proto::rtsp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto list = RtpInfo::parseList({reinterpret_cast<const char*>(data), size});
  if (!list) return 0;
  auto again = RtpInfo::parseList(RtpInfo::formatList(*list));
  if (!again || *again != *list) std::abort();
  return 0;
}
