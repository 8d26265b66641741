// Decodes arbitrary bytes as a MISB ST 0601 packet. Whatever decodes must encode to a packet
// that decodes again and encodes to the same bytes (encode(decode(x)) is a fixed point).
#include <cstdlib>
#include <vector>

#include "codec/klv/Misb0601.h"

using namespace ocellus::codec::klv;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Half the inputs get a valid key, length and checksum around them so decoding goes deep.
  std::vector<std::uint8_t> packet;
  if (size > 0 && (data[0] & 1)) {
    ocellus::base::ByteWriter w(packet);
    w.bytes(kUasDatalinkKey);
    writeBerLength(size - 1 + 4, w);
    w.bytes(std::span<const std::uint8_t>(data + 1, size - 1));
    w.u8(1);
    w.u8(2);
    w.u16(Misb0601::checksum(packet));
  } else {
    packet.assign(data, data + size);
  }
  auto decoded = Misb0601::decode(packet);
  if (!decoded) return 0;
  const auto encoded = decoded->encode();
  auto again = Misb0601::decode(encoded);
  if (!again) std::abort();
  if (again->encode() != encoded) std::abort();
  return 0;
}
