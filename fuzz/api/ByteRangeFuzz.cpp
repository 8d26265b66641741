// Feeds an arbitrary Range header, read against a resource size taken from the first 8 bytes,
// through ByteRange::parse and checks the answer can be served as is: a partial range lies
// inside the resource, and an unsatisfiable one is only given for a range that starts past its
// end (or for an empty resource).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "api/http/ByteRange.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = ocellus::api::http;
  if (size < 8) return 0;
  std::uint64_t resource = 0;
  std::memcpy(&resource, data, 8);
  resource >>= data[0] % 64;  // small sizes as often as huge ones
  const std::string_view header(reinterpret_cast<const char*>(data) + 8, size - 8);

  const auto range = http::ByteRange::parse(header, resource);
  switch (range.kind) {
    case http::ByteRange::Kind::Whole:
      break;
    case http::ByteRange::Kind::Partial:
      check(resource > 0);
      check(range.first <= range.last && range.last < resource);
      check(range.length() >= 1 && range.length() <= resource);
      break;
    case http::ByteRange::Kind::Unsatisfiable:
      check(header.find('-') != std::string_view::npos);
      break;
  }
  return 0;
}
