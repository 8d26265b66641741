// Feeds arbitrary fake packets to the AAC depacketizer; every frame it hands on must be one
// our packetizer and depacketizer carry back unchanged.
#include <cstdlib>

#include "FakePackets.h"
#include "rtp/AacDepacketizer.h"
#include "rtp/AacPacketizer.h"

using namespace ocellus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtp::PayloadParams params;
  params.codec = codec::CodecId::AAC;
  params.maxPayloadSize = 9000;  // every frame in one packet: fragments are not reassembled
  rtp::AacDepacketizer depacketizer;
  rtp::fuzz::feed({data, size}, depacketizer, [&](const rtp::DepacketizedUnit& unit) {
    if (unit.data.empty() || unit.data.size() > rtp::AacPacketizer::kMaxAuSize) std::abort();
    rtp::fuzz::checkRoundTrip(unit, params);
  });
  return 0;
}
