// SessionHeader::parse must never crash; what it parses must survive toString -> parse.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/rtsp/SessionHeader.h"

using namespace ocellus::proto::rtsp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto h = SessionHeader::parse({reinterpret_cast<const char*>(data), size});
  if (!h) return 0;
  auto again = SessionHeader::parse(h->toString());
  if (!again || !(*again == *h)) std::abort();
  return 0;
}
