// Feeds arbitrary fake packets to the AV1 depacketizer; every unit it hands on must be well
// formed canonical form that our packetizer and depacketizer carry back unchanged.
#include <cstdlib>

#include "FakePackets.h"
#include "codec/av1/Obu.h"
#include "rtp/Av1Depacketizer.h"

using namespace ocellus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtp::PayloadParams params;
  params.codec = codec::CodecId::AV1;
  rtp::Av1Depacketizer depacketizer;
  rtp::fuzz::feed({data, size}, depacketizer, [&](const rtp::DepacketizedUnit& unit) {
    if (unit.data.empty() || !codec::av1::forEachObu(unit.data, [](const codec::av1::Obu&) {})) std::abort();
    rtp::fuzz::checkRoundTrip(unit, params);
  });
  return 0;
}
