// Walks arbitrary bytes as a compound RTCP packet: every packet the iterator yields must lie
// inside the input, back to back, and a compound valid in Compound mode is valid in ReducedSize
// mode. Each packet is parsed as every type; whatever parses is written again, and must parse
// back equal (parse(serialize(x)) == x) and be a valid compound on its own. NACK items must give
// back the same sequence numbers through toSequenceNumbers -> toItems.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "rtp/rtcp/Bye.h"
#include "rtp/rtcp/Fir.h"
#include "rtp/rtcp/Nack.h"
#include "rtp/rtcp/Pli.h"
#include "rtp/rtcp/ReceiverReport.h"
#include "rtp/rtcp/RtcpCompound.h"
#include "rtp/rtcp/Sdes.h"
#include "rtp/rtcp/SenderReport.h"

using namespace ocellus::rtp::rtcp;

namespace {

template <typename Packet>
void roundTrip(std::span<const std::uint8_t> bytes) {
  auto packet = Packet::parse(bytes);
  if (!packet) return;
  std::vector<std::uint8_t> out;
  packet->serialize(out);
  auto again = Packet::parse(out);
  if (!again || !(*again == *packet)) std::abort();
  auto alone = RtcpCompound::parse(out, RtcpCompound::Mode::ReducedSize);
  if (!alone || alone->packetCount() != 1) std::abort();
}

void checkNack(std::span<const std::uint8_t> bytes) {
  auto nack = Nack::parse(bytes);
  if (!nack) return;
  auto seqs = Nack::toSequenceNumbers(nack->items);
  auto back = Nack::toSequenceNumbers(Nack::toItems(seqs));
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  std::sort(back.begin(), back.end());
  back.erase(std::unique(back.begin(), back.end()), back.end());
  if (seqs != back) std::abort();
}

void parseAsEveryType(std::span<const std::uint8_t> bytes) {
  roundTrip<SenderReport>(bytes);
  roundTrip<ReceiverReport>(bytes);
  roundTrip<Sdes>(bytes);
  roundTrip<Bye>(bytes);
  roundTrip<Nack>(bytes);
  roundTrip<Pli>(bytes);
  roundTrip<Fir>(bytes);
  checkNack(bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  parseAsEveryType(input);  // the parsers take the first packet of anything
  auto strict = RtcpCompound::parse(input, RtcpCompound::Mode::Compound);
  auto compound = RtcpCompound::parse(input, RtcpCompound::Mode::ReducedSize);
  if (strict && !compound) std::abort();
  if (!compound) return 0;
  const std::uint8_t* next = data;
  std::size_t count = 0;
  for (const RtcpHeader& packet : *compound) {
    if (packet.packet.data() != next || packet.packet.size() < RtcpHeader::kSize) std::abort();
    if (packet.payload.data() != next + RtcpHeader::kSize ||
        packet.payload.size() > packet.packet.size() - RtcpHeader::kSize) {
      std::abort();
    }
    next += packet.packet.size();
    ++count;
    parseAsEveryType(packet.packet);
  }
  if (next != data + size || count != compound->packetCount()) std::abort();
  return 0;
}
