// Iterates arbitrary bytes as KLV triplets; each must lie inside the input, and re-writing the
// triplets read must give back the bytes they came from when their lengths were minimal.
#include <cstdlib>
#include <vector>

#include "codec/klv/Klv.h"

using namespace ocellus::codec::klv;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  std::vector<std::uint8_t> rebuilt;
  ocellus::base::ByteWriter w(rebuilt);
  std::size_t consumed = 0;
  for (KlvReader r(input); !r.atEnd();) {
    auto t = r.next();
    if (!t) break;
    if (t->whole.data() < data || t->whole.data() + t->whole.size() > data + size) std::abort();
    if (t->value.size() > t->whole.size()) std::abort();
    if (t->whole.data() != data + consumed) std::abort();
    consumed += t->whole.size();
    writeTriplet(t->key, t->value, w);
  }
  // Rebuilt triplets read back to the same keys and values.
  KlvReader again(rebuilt);
  KlvReader orig(input.first(consumed));
  while (!again.atEnd()) {
    auto a = again.next();
    auto b = orig.next();
    if (!a || !b || a->key != b->key || !std::equal(a->value.begin(), a->value.end(), b->value.begin(), b->value.end()))
      std::abort();
  }
  // BER-OID and BER lengths written from what was read read back the same.
  ocellus::base::ByteReader r(input);
  if (auto oid = readBerOid(r)) {
    std::vector<std::uint8_t> b;
    ocellus::base::ByteWriter bw(b);
    writeBerOid(*oid, bw);
    ocellus::base::ByteReader br(b);
    if (readBerOid(br).value() != *oid) std::abort();
  }
  return 0;
}
