// Feeds arbitrary fake packets to the H264 depacketizer; every unit it hands on must be well
// formed canonical form that our packetizer and depacketizer carry back unchanged.
#include <cstdlib>

#include "FakePackets.h"
#include "codec/NalUnits.h"
#include "rtp/H264Depacketizer.h"

using namespace ocellus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtp::PayloadParams params;
  params.codec = codec::CodecId::H264;
  rtp::H264Depacketizer depacketizer;
  rtp::fuzz::feed({data, size}, depacketizer, [&](const rtp::DepacketizedUnit& unit) {
    if (unit.data.empty() || !codec::NalUnits(unit.data).valid()) std::abort();
    rtp::fuzz::checkRoundTrip(unit, params);
  });
  return 0;
}
