// Parses arbitrary bytes as an RTP packet: every part must lie inside the input, in order, and
// the fixed header written back from the accessors must match the input's.
#include <cstdlib>
#include <cstring>

#include "rtp/RtpPacket.h"

using namespace ocellus::rtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = RtpPacket::parse({data, size});
  if (!p) return 0;
  const std::size_t header =
      kRtpHeaderSize + 4 * p->csrcCount() + (p->hasExtension() ? 4 + p->extension().size() : 0);
  if (header + p->payload().size() + p->paddingSize() != size) std::abort();
  if (p->payload().data() != data + header) std::abort();
  if (p->hasExtension() && p->extension().data() != data + header - p->extension().size()) std::abort();
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i <= p->csrcCount(); ++i) sum += p->csrc(i);
  (void)sum;
  std::uint8_t written[kRtpHeaderSize];
  writeRtpHeader(written, p->marker(), p->payloadType(), p->sequence(), p->timestamp(), p->ssrc());
  if ((written[0] ^ data[0]) != (data[0] & 0x3f) ||
      std::memcmp(written + 1, data + 1, kRtpHeaderSize - 1) != 0) {
    std::abort();
  }
  return 0;
}
