// SRTP and SRTCP from outside are parsed by our own code now (SrtpSession, SrtpCipher): an
// inbound session unprotects arbitrary bytes (it must fail cleanly, never read or write past
// the packet, and never accept a forgery), and arbitrary bytes taken as a plain RTP or RTCP
// packet must survive protect → unprotect unchanged.
//
// Input: byte 0 picks the profile (bit 0) and whether the rest is taken as RTP or RTCP (bit 1).
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "proto/webrtc/SrtpSession.h"

using namespace ocellus::proto::webrtc;

namespace {

const std::uint8_t kKey[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
const std::uint8_t kSalt[14] = {21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34};

SrtpSession make(SrtpProfile profile, SrtpDirection direction) {
  auto session = SrtpSession::create(profile, kKey, std::span(kSalt).first(srtpSaltSize(profile)), direction);
  if (!session.ok()) std::abort();
  return std::move(session).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > SrtpSession::kMaxPacketSize) return 0;
  const SrtpProfile profile = (data[0] & 1) ? SrtpProfile::AeadAes128Gcm : SrtpProfile::Aes128CmSha1_80;
  const bool rtcp = (data[0] & 2) != 0;
  const std::vector<std::uint8_t> input(data + 1, data + size);

  // Arbitrary bytes as SRTP/SRTCP: a random tag never verifies (2^-80 at least).
  auto in = make(profile, SrtpDirection::Inbound);
  std::vector<std::uint8_t> forged = input;
  if (rtcp ? in.unprotectRtcp(forged) : in.unprotectRtp(forged)) std::abort();
  if (forged.size() != input.size()) std::abort();
  const auto& c = in.counters();
  if (c.rtpPackets + c.rtcpPackets != 0 || c.authFailures + c.replayRejected + c.otherFailures != 1)
    std::abort();

  // The same bytes as a plain packet: protect then unprotect gives them back, and a replay fails.
  auto out = make(profile, SrtpDirection::Outbound);
  std::vector<std::uint8_t> packet = input;
  const bool sealed = rtcp ? out.protectRtcp(packet) : out.protectRtp(packet);
  if (!sealed) {
    if (packet.size() != input.size()) std::abort();  // a failed protect leaves the size as it was
    return 0;
  }
  if (packet.size() != input.size() + (rtcp ? out.rtcpTrailerSize() : out.rtpTrailerSize())) std::abort();
  const std::vector<std::uint8_t> wire = packet;
  auto reader = make(profile, SrtpDirection::Inbound);
  if (!(rtcp ? reader.unprotectRtcp(packet) : reader.unprotectRtp(packet)) || packet != input) std::abort();
  packet = wire;
  if (rtcp ? reader.unprotectRtcp(packet) : reader.unprotectRtp(packet)) std::abort();
  if (reader.counters().replayRejected != 1) std::abort();
  return 0;
}
