// Feeds arbitrary fake packets to the KLV depacketizer; every unit it hands on must be within
// the size limit and come back unchanged through our packetizer and depacketizer.
#include <cstdlib>

#include "FakePackets.h"
#include "rtp/KlvDepacketizer.h"

using namespace ocellus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtp::PayloadParams params;
  params.codec = codec::CodecId::KLV;
  params.maxPayloadSize = 64;  // several payloads per unit on the way back
  rtp::KlvDepacketizer depacketizer;
  rtp::fuzz::feed({data, size}, depacketizer, [&](const rtp::DepacketizedUnit& unit) {
    if (unit.data.empty() || unit.data.size() > rtp::KlvDepacketizer::kMaxUnitSize) std::abort();
    rtp::fuzz::checkRoundTrip(unit, params);
  });
  return 0;
}
