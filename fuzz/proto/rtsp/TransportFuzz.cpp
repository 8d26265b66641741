// Transport::parseList must never crash, and every parsed transport must survive
// toString -> parse unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/rtsp/Transport.h"

using namespace ocellus::proto::rtsp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto list = Transport::parseList(text);
  if (!list) return 0;
  for (const auto& t : *list) {
    auto again = Transport::parse(t.toString());
    if (!again || !(*again == t)) std::abort();
  }
  return 0;
}
