// Decodes arbitrary bytes as AMF0 values; whatever decodes must encode and decode back to
// the same values, and re-encoding that must give the same bytes (the encoding is canonical
// after one round: ECMA array counts are rewritten, so the first encoding may differ).
#include <cstdlib>
#include <vector>

#include "proto/rtmp/Amf0.h"

using namespace ocellus::proto::rtmp;

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}

void touch(const Amf0Value& v, std::size_t depth) {
  check(depth <= Amf0::kMaxDepth + 1);
  check(v.properties.size() <= Amf0::kMaxMembers && v.elements.size() <= Amf0::kMaxMembers);
  check(v.string.size() <= Amf0::kMaxStringSize);
  for (const Amf0Property& p : v.properties) {
    (void)v.get(p.name);
    touch(p.value, depth + 1);
  }
  for (const Amf0Value& e : v.elements) touch(e, depth + 1);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto values = Amf0::decodeAll(std::span<const std::uint8_t>(data, size));
  if (!values) return 0;
  check(values->size() <= Amf0::kMaxValues);
  for (const Amf0Value& v : *values) touch(v, 0);
  const std::vector<std::uint8_t> once = Amf0::encodeAll(*values);
  auto back = Amf0::decodeAll(once);
  check(back.ok());
  check(*back == *values);
  check(Amf0::encodeAll(*back) == once);
  return 0;
}
