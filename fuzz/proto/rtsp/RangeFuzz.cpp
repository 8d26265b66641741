// Range::parse must never crash; what it parses must survive toString -> parse.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/rtsp/Range.h"

using namespace ocellus::proto::rtsp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = Range::parse({reinterpret_cast<const char*>(data), size});
  if (!r) return 0;
  auto again = Range::parse(r->toString());
  if (!again || !(*again == *r)) std::abort();
  return 0;
}
