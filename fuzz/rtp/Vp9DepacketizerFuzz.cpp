// Feeds arbitrary fake packets to the VP9 depacketizer; every unit it hands on must be well
// formed canonical form that our packetizer and depacketizer carry back unchanged.
#include <cstdlib>

#include "FakePackets.h"
#include "rtp/Vp9Depacketizer.h"

using namespace ocellus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtp::PayloadParams params;
  params.codec = codec::CodecId::VP9;
  rtp::Vp9Depacketizer depacketizer;
  rtp::fuzz::feed({data, size}, depacketizer, [&](const rtp::DepacketizedUnit& unit) {
    if (unit.data.empty()) std::abort();
    rtp::fuzz::checkRoundTrip(unit, params);
  });
  return 0;
}
