// SdpNegotiator::answer must never crash on any offer, in either role; every answer it gives
// must parse with format::sdp, keep one m= section per offered one (same media, same mid) and
// name in its formats the payload types it reports.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "format/sdp/SessionDescription.h"
#include "format/sdp/Text.h"
#include "proto/webrtc/SdpNegotiator.h"

using namespace ocellus::proto::webrtc;
using ocellus::format::sdp::SessionDescription;

namespace {

AnswerOptions options(AnswerOptions::Role role) {
  AnswerOptions o;
  o.role = role;
  o.codecs = {CodecDescription::h264("42e01f", 1), CodecDescription::h265(1), CodecDescription::vp8(),
              CodecDescription::opus(), CodecDescription::pcma()};
  if (role == AnswerOptions::Role::Receive) o.codecs.front().fmtp.erase("profile-level-id");
  o.iceUfrag = "fuzz";
  o.icePwd = "fuzzpasswordfuzzpassword";
  o.fingerprint =
      "sha-256 "
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
  o.candidates = {IceCandidate::host("1", IceCandidate::Transport::Udp, "192.0.2.10", 8189),
                  IceCandidate::host("2", IceCandidate::Transport::Tcp, "2001:db8::10", 8189)};
  o.tracks = {{ocellus::codec::MediaKind::Video, 1, 2, "s", "v"},
              {ocellus::codec::MediaKind::Audio, 3, {}, "s", "a"}};
  o.cname = "fuzz";
  o.rtx = true;
  o.transportCc = true;
  o.headerExtensions = {"urn:ietf:params:rtp-hdrext:sdes:mid"};
  o.maxReceiveSectionsPerKind = 2;
  o.sessionId = 1;
  return o;
}

void check(std::string_view offer, const AnswerOptions& o) {
  auto r = SdpNegotiator::answer(offer, o);
  if (!r) {
    (void)r.error().describe();
    (void)r.error().offerAtFault();
    (void)r.error().code();
    return;
  }
  const auto offered = SessionDescription::parse(offer);
  const auto answer = SessionDescription::parse(r->answer);
  if (!offered || !answer) std::abort();
  if (answer->media.size() != offered->media.size()) std::abort();
  if (r->media.empty() || r->media.size() + r->rejected.size() != answer->media.size()) std::abort();
  if (answer->toString() != r->answer) std::abort();
  for (std::size_t i = 0; i < answer->media.size(); ++i) {
    const auto mid = offered->media[i].attribute("mid");
    if (mid && answer->media[i].attribute("mid") != ocellus::format::sdp::trim(*mid)) std::abort();
    if (answer->media[i].media != offered->media[i].media && answer->media[i].port == 0) std::abort();
  }
  for (const auto& m : r->media) {
    const auto& section = answer->media.at(m.index);
    if (section.port == 0 || section.payloadTypes().empty() ||
        section.payloadTypes().front() != m.payloadType) {
      std::abort();
    }
    if (!section.rtpmap(m.payloadType)) std::abort();
    if (m.rtxPayloadType &&
        (section.payloadTypes().size() != 2 || section.payloadTypes()[1] != *m.rtxPayloadType ||
         m.rtxPayloadType != m.offeredRtxPayloadType)) {
      std::abort();
    }
  }
  for (const auto& rejected : r->rejected) {
    if (answer->media.at(rejected.index).port != 0) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const AnswerOptions send = options(AnswerOptions::Role::Send);
  static const AnswerOptions receive = options(AnswerOptions::Role::Receive);
  const std::string_view offer(reinterpret_cast<const char*>(data), size);
  check(offer, send);
  check(offer, receive);
  return 0;
}
