// Decodes arbitrary text as base64; what decodes must encode to text that decodes the same.
#include <cstdlib>

#include "base/Base64.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto bytes = ocellus::base::base64Decode(text);
  if (!bytes) return 0;
  const std::string encoded = ocellus::base::base64Encode(*bytes);
  auto again = ocellus::base::base64Decode(encoded);
  if (!again || *again != *bytes) std::abort();
  return 0;
}
