#include "proto/webrtc/SdpNegotiator.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "format/sdp/SessionDescription.h"
#include "unit/TestData.h"

namespace ocellus::proto::webrtc {
namespace {

using format::sdp::Attribute;
using format::sdp::MediaDescription;
using format::sdp::SessionDescription;
using Kind = NegotiationError::Kind;
using Transport = IceCandidate::Transport;
using codec::MediaKind;

constexpr std::string_view kFingerprint =
    "sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9";
constexpr std::string_view kPwd = "ocellusPassword0123456789";

std::string offer(const std::string& name) {
  const auto bytes = test::readTestData("webrtc/sdp/" + name);
  EXPECT_FALSE(bytes.empty()) << name;
  return {bytes.begin(), bytes.end()};
}

// Replaces every occurrence of `from`.
std::string edit(std::string text, std::string_view from, std::string_view to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// A WHEP viewer of an H.264 Constrained Baseline + opus source.
AnswerOptions whep(std::vector<CodecDescription> codecs = {CodecDescription::h264("42e01f", 1),
                                                           CodecDescription::opus()}) {
  AnswerOptions o;
  o.role = AnswerOptions::Role::Send;
  o.codecs = std::move(codecs);
  o.iceUfrag = "oc1u";
  o.icePwd = std::string(kPwd);
  o.fingerprint = std::string(kFingerprint);
  o.candidates = {IceCandidate::host("1", Transport::Udp, "192.0.2.10", 8189),
                  IceCandidate::host("2", Transport::Tcp, "192.0.2.10", 8189)};
  o.tracks = {{MediaKind::Video, 1111, 2222, "cam1", "video0"},
              {MediaKind::Audio, 3333, std::nullopt, "cam1", "audio0"}};
  o.cname = "ocellus-cam1";
  o.sessionId = 42;
  return o;
}

// A WHIP ingest taking any H.264 profile (packetization-mode 1) and opus.
AnswerOptions whip() {
  AnswerOptions o = whep({CodecDescription::h264("", 1), CodecDescription::opus()});
  o.role = AnswerOptions::Role::Receive;
  o.tracks.clear();
  return o;
}

NegotiatedSession answerOk(const std::string& text, const AnswerOptions& options) {
  auto r = SdpNegotiator::answer(text, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().describe());
  return r.ok() ? std::move(r).value() : NegotiatedSession{};
}

NegotiationError answerError(const std::string& text, const AnswerOptions& options) {
  auto r = SdpNegotiator::answer(text, options);
  EXPECT_FALSE(r.ok());
  return r.ok() ? NegotiationError{} : r.error();
}

SessionDescription reparse(const NegotiatedSession& s) {
  auto sd = SessionDescription::parse(s.answer);
  EXPECT_TRUE(sd.ok()) << s.answer;
  return sd.ok() ? *sd : SessionDescription{};
}

std::vector<std::string> values(const MediaDescription& m, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& a : m.attributes) {
    if (a.is(name)) out.push_back(a.value);
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(SdpNegotiatorTest, ChromiumWhepOfferAgainstH264AndOpus) {
  const auto s = answerOk(offer("chromium156_whep_offer.sdp"), whep());
  EXPECT_EQ(s.remoteIceUfrag, "3jSv");
  EXPECT_EQ(s.remoteIcePwd, "kIv2fauPp1Eq/PSmEkHyKTXa");
  EXPECT_EQ(s.remoteFingerprint.algorithm, "sha-256");
  EXPECT_EQ(
      s.remoteFingerprint.value,
      "94:FC:C5:C7:00:4E:03:9F:C9:E9:A6:6A:C0:92:9C:D6:A7:11:FD:A8:19:AE:28:22:3D:5D:5E:7A:70:EB:CE:74");
  EXPECT_EQ(s.remoteFingerprints, std::vector<CertificateFingerprint>{s.remoteFingerprint});
  EXPECT_TRUE(s.remoteTrickle);
  EXPECT_FALSE(s.remoteIceLite);
  EXPECT_EQ(s.sessionId, 42u);
  EXPECT_TRUE(s.rejected.empty());
  ASSERT_EQ(s.media.size(), 2u);

  // Video: the first offered format our 42e01f source fits is 102, Baseline 42001f with
  // packetization-mode 1 (VP8/VP9 come first, but we have none).
  const auto& v = s.media[0];
  EXPECT_EQ(v.index, 0u);
  EXPECT_EQ(v.mid, "0");
  EXPECT_EQ(v.kind, MediaKind::Video);
  EXPECT_EQ(v.direction, format::sdp::Direction::SendOnly);
  EXPECT_EQ(v.payloadType, 102);
  EXPECT_EQ(v.codec.name, "H264");
  EXPECT_EQ(v.codec.clockRate, 90000u);
  EXPECT_EQ(v.codec.fmtp, (std::map<std::string, std::string>{{"level-asymmetry-allowed", "1"},
                                                              {"packetization-mode", "1"},
                                                              {"profile-level-id", "42001f"}}));
  EXPECT_EQ(v.localCodecIndex, 0u);
  EXPECT_EQ(v.offeredRtxPayloadType, 103);                              // a=fmtp:103 apt=102
  EXPECT_FALSE(v.rtxPayloadType.has_value());                           // RTX not enabled: not answered
  EXPECT_EQ(v.rtcpFeedback, (Strings{"ccm fir", "nack", "nack pli"}));  // goog-remb, transport-cc dropped
  EXPECT_TRUE(v.headerExtensions.empty());
  EXPECT_TRUE(v.rtcpReducedSize);
  EXPECT_TRUE(v.remoteSsrcs.empty());
  EXPECT_EQ(v.localSsrc, 1111u);
  EXPECT_FALSE(v.localRtxSsrc.has_value());

  const auto& a = s.media[1];
  EXPECT_EQ(a.mid, "1");
  EXPECT_EQ(a.kind, MediaKind::Audio);
  EXPECT_EQ(a.payloadType, 111);
  EXPECT_EQ(a.codec.name, "opus");
  EXPECT_EQ(a.codec.channels, 2);
  EXPECT_EQ(a.codec.fmtp, (std::map<std::string, std::string>{{"minptime", "10"}, {"useinbandfec", "1"}}));
  EXPECT_TRUE(a.rtcpFeedback.empty());
  EXPECT_EQ(a.localSsrc, 3333u);
  EXPECT_EQ(s.find("1"), &a);
  EXPECT_EQ(s.find("2"), nullptr);

  // The answer, line by line where it matters.
  EXPECT_TRUE(s.answer.starts_with(
      "v=0\r\no=- 42 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE 0 1\r\n"
      "a=msid-semantic: WMS cam1\r\nm=video 8189 UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 192.0.2.10\r\n"))
      << s.answer;
  for (const auto* absent : {"goog-remb", "transport-cc", "extmap", "actpass", "a=rtcp:", "recvonly"}) {
    EXPECT_EQ(s.answer.find(absent), std::string::npos) << absent;
  }
  const auto sd = reparse(s);
  ASSERT_EQ(sd.media.size(), 2u);
  const auto& mv = sd.media[0];
  EXPECT_EQ(mv.media, "video");
  EXPECT_EQ(mv.port, 8189);
  EXPECT_EQ(mv.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(mv.formats, Strings{"102"});
  EXPECT_EQ(mv.connection, (format::sdp::Connection{"IN", "IP4", "192.0.2.10"}));
  const std::vector<Attribute> expected{
      {"mid", "0"},
      {"ice-ufrag", "oc1u"},
      {"ice-pwd", std::string(kPwd)},
      {"fingerprint", std::string(kFingerprint)},
      {"setup", "passive"},
      {"sendonly", ""},
      {"rtcp-mux", ""},
      {"rtcp-rsize", ""},
      {"msid", "cam1 video0"},
      {"rtpmap", "102 H264/90000"},
      {"rtcp-fb", "102 ccm fir"},
      {"rtcp-fb", "102 nack"},
      {"rtcp-fb", "102 nack pli"},
      {"fmtp", "102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"},
      {"ssrc", "1111 cname:ocellus-cam1"},
      {"ssrc", "1111 msid:cam1 video0"},
      {"candidate", "1 1 udp 2130706431 192.0.2.10 8189 typ host"},
      {"candidate", "2 1 tcp 2124414975 192.0.2.10 8189 typ host tcptype passive"},
      {"end-of-candidates", ""},
  };
  EXPECT_EQ(mv.attributes, expected);
  const auto& ma = sd.media[1];
  EXPECT_EQ(ma.media, "audio");
  EXPECT_EQ(ma.formats, Strings{"111"});
  EXPECT_EQ(ma.attribute("mid"), "1");
  EXPECT_EQ(ma.direction(), format::sdp::Direction::SendOnly);
  EXPECT_EQ(values(ma, "rtpmap"), Strings{"111 opus/48000/2"});
  EXPECT_EQ(values(ma, "fmtp"), Strings{"111 minptime=10;useinbandfec=1"});
  EXPECT_TRUE(values(ma, "rtcp-fb").empty());
  EXPECT_EQ(values(ma, "ssrc"), (Strings{"3333 cname:ocellus-cam1", "3333 msid:cam1 audio0"}));
  EXPECT_EQ(values(ma, "candidate").size(), 2u);
}

TEST(SdpNegotiatorTest, TrickledOfferAndNoCandidatesOfOurs) {
  auto o = whep();
  o.candidates.clear();
  o.candidatesComplete = false;
  const auto s = answerOk(offer("chromium156_whep_offer_trickle.sdp"), o);
  EXPECT_EQ(s.remoteIceUfrag, "3jSv");
  const auto sd = reparse(s);
  ASSERT_EQ(sd.media.size(), 2u);
  for (const auto& m : sd.media) {
    EXPECT_EQ(m.port, 9);  // JSEP §5.3.1 without candidates
    EXPECT_EQ(m.connection, (format::sdp::Connection{"IN", "IP4", "0.0.0.0"}));
    EXPECT_FALSE(m.attribute("candidate").has_value());
    EXPECT_FALSE(m.attribute("end-of-candidates").has_value());
  }
  // An IPv6 or mDNS first candidate: the first UDP one with an address is the default.
  o.candidates = {IceCandidate::host("1", Transport::Tcp, "192.0.2.10", 443),
                  IceCandidate::host("2", Transport::Udp, "2001:db8::10", 8189)};
  const auto v6 = reparse(answerOk(offer("chromium156_whep_offer_trickle.sdp"), o));
  EXPECT_EQ(v6.media[0].port, 8189);
  EXPECT_EQ(v6.media[0].connection, (format::sdp::Connection{"IN", "IP6", "2001:db8::10"}));
}

TEST(SdpNegotiatorTest, RtxWhenEnabled) {
  auto o = whep();
  o.rtx = true;
  const auto s = answerOk(offer("chromium156_whep_offer.sdp"), o);
  ASSERT_EQ(s.media.size(), 2u);
  EXPECT_EQ(s.media[0].rtxPayloadType, 103);  // a=fmtp:103 apt=102
  EXPECT_EQ(s.media[0].localRtxSsrc, 2222u);
  EXPECT_FALSE(s.media[1].offeredRtxPayloadType.has_value());  // no RTX offered for opus
  EXPECT_FALSE(s.media[1].rtxPayloadType.has_value());
  const auto sd = reparse(s);
  const auto& v = sd.media[0];
  EXPECT_EQ(v.formats, (Strings{"102", "103"}));
  EXPECT_EQ(values(v, "rtpmap"), (Strings{"102 H264/90000", "103 rtx/90000"}));
  EXPECT_EQ(values(v, "fmtp")[1], "103 apt=102");
  EXPECT_EQ(values(v, "ssrc-group"), Strings{"FID 1111 2222"});
  EXPECT_EQ(values(v, "ssrc"), (Strings{"1111 cname:ocellus-cam1", "1111 msid:cam1 video0",
                                        "2222 cname:ocellus-cam1", "2222 msid:cam1 video0"}));

  // Without an RTX SSRC to send it from, RTX is not answered.
  o.tracks[0].rtxSsrc.reset();
  const auto noRtx = answerOk(offer("chromium156_whep_offer.sdp"), o);
  EXPECT_FALSE(noRtx.media[0].rtxPayloadType.has_value());
  EXPECT_EQ(noRtx.answer.find("rtx/"), std::string::npos);
  EXPECT_EQ(noRtx.answer.find("ssrc-group"), std::string::npos);
}

TEST(SdpNegotiatorTest, PcmaSource) {
  const auto s = answerOk(offer("chromium156_whep_offer.sdp"),
                          whep({CodecDescription::h264("42e01f", 1), CodecDescription::pcma()}));
  ASSERT_EQ(s.media.size(), 2u);
  EXPECT_EQ(s.media[1].payloadType, 8);
  EXPECT_EQ(s.media[1].codec.name, "PCMA");
  const auto sd = reparse(s);
  EXPECT_EQ(sd.media[1].formats, Strings{"8"});
  EXPECT_EQ(values(sd.media[1], "rtpmap"), Strings{"8 PCMA/8000"});
  EXPECT_TRUE(values(sd.media[1], "fmtp").empty());

  const auto aiortc = answerOk(offer("aiortc140_whep_offer.sdp"),
                               whep({CodecDescription::h264("42e01f", 1), CodecDescription::pcma()}));
  EXPECT_EQ(aiortc.media[1].payloadType, 8);
}

TEST(SdpNegotiatorTest, ChromiumWhipOffer) {
  auto o = whip();
  o.rtx = true;
  const auto s = answerOk(offer("chromium156_whip_offer.sdp"), o);
  EXPECT_EQ(s.remoteIceUfrag, "rISz");
  ASSERT_EQ(s.media.size(), 2u);
  // Chromium put the microphone first.
  const auto& a = s.media[0];
  EXPECT_EQ(a.mid, "0");
  EXPECT_EQ(a.kind, MediaKind::Audio);
  EXPECT_EQ(a.direction, format::sdp::Direction::RecvOnly);
  EXPECT_EQ(a.payloadType, 111);
  EXPECT_EQ(a.remoteSsrcs, (std::vector<RemoteSsrc>{{3567415652u, std::nullopt, "BeIToNvF73YZ+z2f"}}));
  EXPECT_FALSE(a.localSsrc.has_value());
  const auto& v = s.media[1];
  EXPECT_EQ(v.mid, "1");
  EXPECT_EQ(v.payloadType, 102);                             // VP8 (96) is first, but we take only H.264
  EXPECT_EQ(v.codec.fmtp.at("profile-level-id"), "42001f");  // any profile: the offered one
  EXPECT_EQ(v.rtxPayloadType, 103);
  EXPECT_EQ(v.remoteSsrcs, (std::vector<RemoteSsrc>{{3292129287u, 1399980890u, "BeIToNvF73YZ+z2f"}}));

  const auto sd = reparse(s);
  EXPECT_EQ(sd.attribute("msid-semantic"), " WMS");
  for (const auto& m : sd.media) {
    EXPECT_EQ(m.direction(), format::sdp::Direction::RecvOnly);
    EXPECT_FALSE(m.attribute("ssrc").has_value());
    EXPECT_FALSE(m.attribute("msid").has_value());
  }
  EXPECT_EQ(sd.media[1].formats, (Strings{"102", "103"}));

  // The browser's order decides among what we take: VP8 is offered first.
  o.codecs.insert(o.codecs.begin() + 1, CodecDescription::vp8());
  EXPECT_EQ(answerOk(offer("chromium156_whip_offer.sdp"), o).media[1].payloadType, 96);
  EXPECT_EQ(answerOk(offer("chromium156_whip_offer_trickle.sdp"), o).media[1].payloadType, 96);
}

TEST(SdpNegotiatorTest, AiortcOffers) {
  const auto s = answerOk(offer("aiortc140_whep_offer.sdp"), whep());
  // aiortc writes a different ufrag in each section; the first accepted section's counts.
  EXPECT_EQ(s.remoteIceUfrag, "JDiu");
  EXPECT_EQ(s.remoteIcePwd, "HKG6zgWEGRpW81WpAsAZ7R");
  ASSERT_EQ(s.media.size(), 2u);
  EXPECT_EQ(s.media[0].payloadType, 99);
  EXPECT_EQ(s.media[0].codec.fmtp.at("profile-level-id"), "42001f");
  EXPECT_EQ(s.media[0].rtcpFeedback, (Strings{"nack", "nack pli"}));
  EXPECT_FALSE(s.media[0].rtcpReducedSize);
  EXPECT_EQ(s.media[0].remoteSsrcs,
            (std::vector<RemoteSsrc>{{4018603997u, 1603929291u, "0ac8e057-2e0c-480d-a451-63e15b28e160"}}));
  EXPECT_EQ(s.media[1].payloadType, 96);
  EXPECT_EQ(s.answer.find("rtcp-rsize"), std::string::npos);

  const auto p = answerOk(offer("aiortc140_whip_offer.sdp"), whip());
  EXPECT_EQ(p.remoteIceUfrag, "l2Fx");
  ASSERT_EQ(p.media.size(), 2u);
  EXPECT_EQ(p.media[0].payloadType, 99);
  EXPECT_EQ(p.media[0].remoteSsrcs[0].ssrc, 3923873219u);
  EXPECT_EQ(p.media[0].remoteSsrcs[0].rtxSsrc, 1210457138u);
  EXPECT_EQ(p.media[1].remoteSsrcs[0].ssrc, 1435391252u);
}

TEST(SdpNegotiatorTest, RejectedSectionKeepsItsLineAndTransportMovesToTheNextSection) {
  // A High-profile source against aiortc's Baseline-only H.264: video is rejected, audio stays,
  // and the transport is the audio section's (aiortc gives each section its own ufrag).
  const auto s = answerOk(offer("aiortc140_whep_offer.sdp"),
                          whep({CodecDescription::h264("640c1f", 1), CodecDescription::opus()}));
  ASSERT_EQ(s.media.size(), 1u);
  EXPECT_EQ(s.media[0].mid, "1");
  EXPECT_EQ(s.media[0].localSsrc, 3333u);
  EXPECT_EQ(s.remoteIceUfrag, "ubrX");
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0], (RejectedMedia{0, "0", "video", RejectReason::NoCommonCodec, {}}));
  const auto sd = reparse(s);
  EXPECT_EQ(sd.attribute("group"), "BUNDLE 1");
  ASSERT_EQ(sd.media.size(), 2u);
  const auto& rejected = sd.media[0];
  EXPECT_EQ(rejected.media, "video");
  EXPECT_EQ(rejected.port, 0);
  EXPECT_EQ(rejected.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(rejected.formats, Strings{"97"});
  EXPECT_EQ(rejected.attributes, (std::vector<Attribute>{{"mid", "0"}}));
  EXPECT_EQ(sd.media[1].port, 8189);
}

TEST(SdpNegotiatorTest, HighProfileSource) {
  // Chromium 156 offers no 64xxxx; its High 4:4:4 Predictive format (f4001f) decodes High.
  const auto s = answerOk(offer("chromium156_whep_offer.sdp"), whep({CodecDescription::h264("640c1f", 1)}));
  ASSERT_EQ(s.media.size(), 1u);
  EXPECT_EQ(s.media[0].payloadType, 41);
  EXPECT_EQ(s.media[0].codec.fmtp.at("profile-level-id"), "f4001f");
  EXPECT_EQ(s.rejected[0].reason, RejectReason::NoCommonCodec);  // audio: we have none

  // Against a Baseline-only offer there is nothing left.
  const auto e = answerError(offer("aiortc140_whep_offer.sdp"), whep({CodecDescription::h264("640c1f", 1)}));
  EXPECT_EQ(e.kind, Kind::NoCommonCodec);
  EXPECT_FALSE(e.offerAtFault());
  EXPECT_EQ(e.code(), base::ErrorCode::Unsupported);
  EXPECT_NE(e.message.find("no common codec"), std::string::npos) << e.message;
}

TEST(SdpNegotiatorTest, NoCommonCodec) {
  const auto e =
      answerError(offer("chromium156_whep_offer.sdp"),
                  whep({CodecDescription::h265(), CodecDescription{MediaKind::Audio, "G729", 8000, 1, {}}}));
  EXPECT_EQ(e.kind, Kind::NoCommonCodec);
  // packetization-mode must be equal: Chromium offers 0 and 1, aiortc only 1.
  EXPECT_EQ(answerOk(offer("chromium156_whep_offer.sdp"), whep({CodecDescription::h264("42e01f", 0)}))
                .media[0]
                .payloadType,
            104);
  EXPECT_EQ(answerError(offer("aiortc140_whep_offer.sdp"), whep({CodecDescription::h264("42e01f", 0)})).kind,
            Kind::NoCommonCodec);
}

TEST(SdpNegotiatorTest, H264Levels) {
  // Chromium offers level 3.1 with level-asymmetry-allowed=1: the answer states our level 4.0.
  const std::string chromium = offer("chromium156_whep_offer.sdp");
  EXPECT_EQ(answerOk(chromium, whep({CodecDescription::h264("42e028", 1)}))
                .media[0]
                .codec.fmtp.at("profile-level-id"),
            "420028");
  // Without asymmetry the answer may only lower the offered level (RFC 6184 §8.2.2).
  const std::string symmetric = edit(chromium, "level-asymmetry-allowed=1;", "");
  const auto s = answerOk(symmetric, whep({CodecDescription::h264("42e028", 1)}));
  EXPECT_EQ(s.media[0].codec.fmtp, (std::map<std::string, std::string>{{"packetization-mode", "1"},
                                                                       {"profile-level-id", "42001f"}}));
  EXPECT_EQ(answerOk(symmetric, whep({CodecDescription::h264("42e00d", 1)}))
                .media[0]
                .codec.fmtp.at("profile-level-id"),
            "42000d");
}

TEST(SdpNegotiatorTest, H265Profiles) {
  const std::string h265 = offer("synthetic_h265_whep_offer.sdp");
  const auto main = answerOk(h265, whep({CodecDescription::h265(1), CodecDescription::opus()}));
  ASSERT_EQ(main.media.size(), 2u);
  EXPECT_EQ(main.media[0].payloadType, 49);
  EXPECT_EQ(main.media[0].codec.name, "H265");
  EXPECT_EQ(main.media[0].codec.fmtp,
            (std::map<std::string, std::string>{
                {"level-id", "180"}, {"profile-id", "1"}, {"tier-flag", "0"}, {"tx-mode", "SRST"}}));
  EXPECT_EQ(values(reparse(main).media[0], "fmtp"),
            Strings{"49 level-id=180;profile-id=1;tier-flag=0;tx-mode=SRST"});

  // A Main 10 source skips the Main format; a Main 10 decoder would also take a Main source.
  EXPECT_EQ(answerOk(h265, whep({CodecDescription::h265(2)})).media[0].payloadType, 51);
  const std::string mainOnly = edit(h265, "profile-id=2", "profile-id=1");
  const auto e = answerOk(mainOnly, whep({CodecDescription::h265(2), CodecDescription::opus()}));
  ASSERT_EQ(e.media.size(), 1u);
  EXPECT_EQ(e.rejected[0].reason, RejectReason::NoCommonCodec);

  // Our level caps the answered one.
  auto leveled = CodecDescription::h265(1);
  leveled.fmtp["level-id"] = "93";
  EXPECT_EQ(answerOk(h265, whep({leveled})).media[0].codec.fmtp.at("level-id"), "93");
  // The same offer's H.264 for an H.264 source.
  EXPECT_EQ(answerOk(h265, whep()).media[0].payloadType, 102);
}

TEST(SdpNegotiatorTest, Vp8AndVp9Passthrough) {
  const auto s = answerOk(offer("chromium156_whep_offer.sdp"),
                          whep({CodecDescription::vp8(), CodecDescription::opus()}));
  ASSERT_EQ(s.media.size(), 2u);
  EXPECT_EQ(s.media[0].payloadType, 96);
  EXPECT_TRUE(s.media[0].codec.fmtp.empty());
  const auto sd = reparse(s);
  EXPECT_EQ(values(sd.media[0], "rtpmap"), Strings{"96 VP8/90000"});
  EXPECT_TRUE(values(sd.media[0], "fmtp").empty());
  EXPECT_EQ(values(sd.media[0], "rtcp-fb"), (Strings{"96 ccm fir", "96 nack", "96 nack pli"}));

  auto vp9 = CodecDescription::vp9();
  EXPECT_EQ(answerOk(offer("chromium156_whep_offer.sdp"), whep({vp9})).media[0].payloadType, 98);
  vp9.fmtp["profile-id"] = "2";
  EXPECT_EQ(answerOk(offer("chromium156_whep_offer.sdp"), whep({vp9})).media[0].payloadType, 100);
  auto av1 = CodecDescription::av1();
  av1.fmtp["profile"] = "1";
  EXPECT_EQ(answerOk(offer("chromium156_whep_offer.sdp"), whep({av1})).media[0].payloadType, 47);
}

TEST(SdpNegotiatorTest, OurOrderOfPreference) {
  // Chromium offers VP8 first: its order takes VP8, ours H.264 (its first mode-1 format).
  auto o = whip();
  o.codecs.insert(o.codecs.begin() + 1, CodecDescription::vp8());
  const std::string chromium = offer("chromium156_whip_offer.sdp");
  EXPECT_EQ(answerOk(chromium, o).media[1].codec.name, "VP8");
  o.preferOurOrder = true;
  const auto ours = answerOk(chromium, o);
  EXPECT_EQ(ours.media[1].codec.name, "H264");
  EXPECT_EQ(ours.media[1].codec.fmtp.at("packetization-mode"), "1");
  EXPECT_EQ(ours.media[0].codec.name, "opus");
}

TEST(SdpNegotiatorTest, HeaderExtensionsAndFeedbackOptions) {
  auto o = whep();
  o.headerExtensions = {"urn:ietf:params:rtp-hdrext:sdes:mid",
                        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"};
  o.transportCc = true;
  o.googRemb = true;
  const auto s = answerOk(offer("chromium156_whep_offer.sdp"), o);
  ASSERT_EQ(s.media.size(), 2u);
  EXPECT_EQ(s.media[0].headerExtensions,
            (std::vector<HeaderExtension>{
                {4, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"},
                {9, "urn:ietf:params:rtp-hdrext:sdes:mid"}}));
  EXPECT_EQ(s.media[0].rtcpFeedback, (Strings{"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}));
  EXPECT_EQ(s.media[1].rtcpFeedback, Strings{"transport-cc"});
  const auto sd = reparse(s);
  EXPECT_EQ(values(sd.media[0], "extmap"),
            (Strings{"4 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                     "9 urn:ietf:params:rtp-hdrext:sdes:mid"}));
  EXPECT_EQ(values(sd.media[1], "extmap").size(), 2u);
}

TEST(SdpNegotiatorTest, DataChannelSectionIsRejected) {
  const auto s = answerOk(offer("chromium156_whep_datachannel_offer.sdp"), whep());
  ASSERT_EQ(s.media.size(), 2u);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].mid, "2");
  EXPECT_EQ(s.rejected[0].media, "application");
  EXPECT_EQ(s.rejected[0].reason, RejectReason::NotRtp);
  const auto sd = reparse(s);
  EXPECT_EQ(sd.attribute("group"), "BUNDLE 0 1");
  ASSERT_EQ(sd.media.size(), 3u);
  EXPECT_EQ(sd.media[2].media, "application");
  EXPECT_EQ(sd.media[2].port, 0);
  EXPECT_EQ(sd.media[2].proto, "UDP/DTLS/SCTP");
  EXPECT_EQ(sd.media[2].formats, Strings{"webrtc-datachannel"});
  EXPECT_EQ(sd.media[2].attribute("mid"), "2");
}

TEST(SdpNegotiatorTest, DtlsSetup) {
  const std::string chromium = offer("chromium156_whep_offer.sdp");
  // RFC 4145 §4.1: an active offerer connects; we are passive either way.
  const auto active = answerOk(edit(chromium, "a=setup:actpass", "a=setup:active"), whep());
  EXPECT_EQ(reparse(active).media[0].attribute("setup"), "passive");
  // Absent means active (RFC 4145 §4).
  EXPECT_TRUE(SdpNegotiator::answer(edit(chromium, "a=setup:actpass\r\n", ""), whep()).ok());

  for (const auto* role : {"a=setup:passive", "a=setup:holdconn"}) {
    const auto e = answerError(edit(chromium, "a=setup:actpass", role), whep());
    EXPECT_EQ(e.kind, Kind::DtlsRoleConflict) << role;
    EXPECT_TRUE(e.offerAtFault());
  }
  EXPECT_EQ(answerError(edit(chromium, "a=setup:actpass", "a=setup:sideways"), whep()).kind, Kind::Malformed);
}

TEST(SdpNegotiatorTest, TransportAttributesMissing) {
  const std::string chromium = offer("chromium156_whep_offer.sdp");
  const std::string fp =
      "sha-256 "
      "94:FC:C5:C7:00:4E:03:9F:C9:E9:A6:6A:C0:92:9C:D6:A7:11:FD:A8:19:AE:28:22:3D:5D:5E:7A:70:EB:CE:74";
  const auto e = answerError(edit(chromium, "a=fingerprint:" + fp + "\r\n", ""), whep());
  EXPECT_EQ(e.kind, Kind::MissingFingerprint);
  EXPECT_EQ(e.message, "offer has no a=fingerprint");
  EXPECT_EQ(e.code(), base::ErrorCode::Malformed);
  const auto md5 = answerError(edit(chromium, "a=fingerprint:sha-256", "a=fingerprint:md5"), whep());
  EXPECT_EQ(md5.kind, Kind::MissingFingerprint);
  EXPECT_NE(md5.message.find("unsupported hash"), std::string::npos);
  const auto shortValue = answerError(edit(chromium, ":CE:74\r\n", "\r\n"), whep());
  EXPECT_EQ(shortValue.kind, Kind::MissingFingerprint);
  // At session level it counts too.
  const std::string moved = edit(edit(chromium, "a=fingerprint:" + fp + "\r\n", ""), "a=group:BUNDLE 0 1\r\n",
                                 "a=group:BUNDLE 0 1\r\na=fingerprint:" + fp + "\r\n");
  EXPECT_EQ(answerOk(moved, whep()).remoteFingerprint.algorithm, "sha-256");

  EXPECT_EQ(answerError(edit(chromium, "a=ice-pwd:kIv2fauPp1Eq/PSmEkHyKTXa\r\n", ""), whep()).kind,
            Kind::MissingIceCredentials);
  EXPECT_EQ(answerError(edit(chromium, "a=ice-ufrag:3jSv", "a=ice-ufrag:3j"), whep()).kind,
            Kind::MissingIceCredentials);
  EXPECT_EQ(answerError(edit(chromium, "a=ice-ufrag:3jSv", "a=ice-ufrag:3j\x01v"), whep()).kind,
            Kind::MissingIceCredentials);
}

TEST(SdpNegotiatorTest, BundleAndRtcpMuxRequired) {
  const std::string chromium = offer("chromium156_whep_offer.sdp");
  const auto noBundle = answerError(edit(chromium, "a=group:BUNDLE 0 1\r\n", ""), whep());
  EXPECT_EQ(noBundle.kind, Kind::BundleRequired);
  EXPECT_EQ(answerError(edit(chromium, "a=mid:", "a=x-mid:"), whep()).kind, Kind::BundleRequired);
  EXPECT_EQ(answerError(edit(chromium, "a=rtcp-mux\r\n", ""), whep()).kind, Kind::RtcpMuxRequired);

  // A section outside the group is rejected on its own.
  const auto partial = answerOk(edit(chromium, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0"), whep());
  ASSERT_EQ(partial.media.size(), 1u);
  EXPECT_EQ(partial.rejected[0].reason, RejectReason::NotBundled);
  EXPECT_EQ(reparse(partial).attribute("group"), "BUNDLE 0");
}

TEST(SdpNegotiatorTest, Directions) {
  const auto e = answerError(offer("chromium156_whip_offer.sdp"), whep());
  EXPECT_EQ(e.kind, Kind::DirectionMismatch);
  EXPECT_TRUE(e.offerAtFault());
  EXPECT_EQ(answerError(offer("chromium156_whep_offer.sdp"), whip()).kind, Kind::DirectionMismatch);
  EXPECT_EQ(answerError(edit(offer("chromium156_whep_offer.sdp"), "a=recvonly", "a=inactive"), whep()).kind,
            Kind::DirectionMismatch);
  // sendrecv suits both roles, answered with our one direction.
  const std::string sendrecv = edit(offer("chromium156_whep_offer.sdp"), "a=recvonly", "a=sendrecv");
  EXPECT_EQ(reparse(answerOk(sendrecv, whep())).media[0].direction(), format::sdp::Direction::SendOnly);
  EXPECT_EQ(reparse(answerOk(sendrecv, whip())).media[0].direction(), format::sdp::Direction::RecvOnly);
}

TEST(SdpNegotiatorTest, MalformedAndOversizedOffers) {
  EXPECT_EQ(answerError("hello", whep()).kind, Kind::Malformed);
  EXPECT_EQ(answerError("", whep()).kind, Kind::Malformed);
  EXPECT_EQ(answerError("v=0\r\ns=-\r\n", whep()).kind, Kind::NoAcceptableMedia);
  const std::string chromium = offer("chromium156_whep_offer.sdp");
  EXPECT_EQ(answerError(edit(chromium, "a=mid:1", "a=mid:0"), whep()).kind, Kind::Malformed);  // repeated
  EXPECT_EQ(answerError(edit(chromium, "a=mid:1", "a=mid:1 2"), whep()).kind, Kind::Malformed);
  EXPECT_EQ(answerError(edit(chromium, "a=mid:1", "a=mid:" + std::string(65, 'm')), whep()).kind,
            Kind::Malformed);

  std::string big = chromium;
  big += std::string(SdpNegotiator::kMaxOfferSize - big.size() + 1, '\n');
  const auto tooLarge = answerError(big, whep());
  EXPECT_EQ(tooLarge.kind, Kind::TooLarge);
  EXPECT_EQ(tooLarge.code(), base::ErrorCode::TooLarge);

  std::string many = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  for (std::size_t i = 0; i <= SdpNegotiator::kMaxMediaSections; ++i)
    many += "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n";
  EXPECT_EQ(answerError(many, whep()).kind, Kind::TooLarge);
}

// A small offer from parts, for the cases the captures do not show.
std::string smallOffer(const std::vector<std::string>& sections,
                       std::string_view group = "a=group:BUNDLE 0 1\r\n") {
  std::string s =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
      "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
      "a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\r\n"
      "a=setup:actpass\r\n";
  s += group;
  for (const auto& section : sections) s += section;
  return s;
}

std::string videoSection(std::string_view mid, std::string_view extra = "", std::string_view port = "9") {
  return "m=video " + std::string(port) +
         " UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:" + std::string(mid) +
         "\r\na=rtcp-mux\r\na=rtpmap:96 H264/90000\r\n"
         "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n" +
         std::string(extra);
}

TEST(SdpNegotiatorTest, SessionLevelTransportAndSectionLimits) {
  // Credentials and fingerprint at session level (sha-1 is still a hash RFC 8122 allows).
  const auto s = answerOk(
      smallOffer({videoSection("0", "a=sendrecv\r\n"), videoSection("1", "a=sendrecv\r\n")}), whip());
  EXPECT_EQ(s.remoteIceUfrag, "abcd");
  EXPECT_EQ(s.remoteFingerprint.algorithm, "sha-1");
  ASSERT_EQ(s.media.size(), 1u);  // one video section taken by default
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].reason, RejectReason::NoTrack);

  auto two = whip();
  two.maxReceiveSectionsPerKind = 2;
  EXPECT_EQ(answerOk(smallOffer({videoSection("0"), videoSection("1")}), two).media.size(), 2u);

  // WHEP: one video track, so the second video section has nothing to send.
  auto videoOnly = whep();
  videoOnly.tracks.pop_back();
  const auto w = answerOk(
      smallOffer({videoSection("0", "a=recvonly\r\n"), videoSection("1", "a=recvonly\r\n")}), videoOnly);
  ASSERT_EQ(w.media.size(), 1u);
  EXPECT_EQ(w.rejected[0].reason, RejectReason::NoTrack);
  // No track at all for audio: opus matches, but nothing is sent.
  const auto noAudio = answerOk(offer("chromium156_whep_offer.sdp"), videoOnly);
  EXPECT_EQ(noAudio.rejected[0].reason, RejectReason::NoTrack);
}

TEST(SdpNegotiatorTest, BundleOnlyAndOfferRejectedSections) {
  // RFC 8843 §7.2: a bundle-only section has port 0 yet is offered.
  const auto s = answerOk(
      smallOffer(
          {videoSection("0", "a=recvonly\r\n"),
           "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=mid:1\r\na=bundle-only\r\na=recvonly\r\na=rtcp-mux\r\n"}),
      whep({CodecDescription::h264("42e01f", 1), CodecDescription::pcmu()}));
  ASSERT_EQ(s.media.size(), 2u);
  EXPECT_EQ(s.media[1].codec.name, "PCMU");  // static payload type 0 without a=rtpmap
  const auto off = answerOk(
      smallOffer({videoSection("0", "a=recvonly\r\n"), videoSection("1", "a=recvonly\r\n", "0")}), whep());
  ASSERT_EQ(off.rejected.size(), 1u);
  EXPECT_EQ(off.rejected[0].reason, RejectReason::RejectedInOffer);
  // Not RTP: an RTP/AVP section (no DTLS-SRTP).
  const auto avp = answerOk(smallOffer({videoSection("0", "a=recvonly\r\n"),
                                        "m=audio 9 RTP/AVP 0\r\na=mid:1\r\na=recvonly\r\na=rtcp-mux\r\n"}),
                            whep());
  EXPECT_EQ(avp.rejected[0].reason, RejectReason::NotRtp);
}

TEST(SdpNegotiatorTest, InvalidLocalDescription) {
  const std::string chromium = offer("chromium156_whep_offer.sdp");
  auto o = whep();
  o.iceUfrag = "x";
  EXPECT_EQ(answerError(chromium, o).kind, Kind::InvalidLocalDescription);
  o = whep();
  o.fingerprint = "sha-256 nope";
  EXPECT_EQ(answerError(chromium, o).kind, Kind::InvalidLocalDescription);
  o = whep();
  o.tracks[0].trackId = "two words";
  EXPECT_EQ(answerError(chromium, o).kind, Kind::InvalidLocalDescription);
  o = whep();
  o.candidates[0].address = "192.0.2.10\r\na=evil";
  const auto e = answerError(chromium, o);
  EXPECT_EQ(e.kind, Kind::InvalidLocalDescription);
  EXPECT_EQ(e.code(), base::ErrorCode::InvalidArgument);
  EXPECT_FALSE(e.offerAtFault());
}

TEST(SdpNegotiatorTest, RandomSessionIdAndCname) {
  auto o = whep();
  o.sessionId.reset();
  o.cname.clear();
  const auto a = answerOk(offer("chromium156_whep_offer.sdp"), o);
  const auto b = answerOk(offer("chromium156_whep_offer.sdp"), o);
  EXPECT_NE(a.sessionId, b.sessionId);
  EXPECT_LT(a.sessionId, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(reparse(a).origin.sessionId, std::to_string(a.sessionId));
  const auto ssrc = values(reparse(a).media[0], "ssrc");
  ASSERT_FALSE(ssrc.empty());
  EXPECT_EQ(ssrc[0].size(), std::string("1111 cname:").size() + 16);
}

TEST(SdpNegotiatorTest, EveryGoldenOfferAnswersInBothRoles) {
  for (const auto* name :
       {"chromium156_whep_offer.sdp", "chromium156_whep_offer_trickle.sdp", "chromium156_whip_offer.sdp",
        "chromium156_whip_offer_trickle.sdp", "chromium156_whep_datachannel_offer.sdp",
        "aiortc140_whep_offer.sdp", "aiortc140_whip_offer.sdp", "synthetic_h265_whep_offer.sdp"}) {
    const std::string text = offer(name);
    const auto parsedOffer = SessionDescription::parse(text);
    ASSERT_TRUE(parsedOffer.ok()) << name;
    const bool whepOffer = std::string_view(name).find("whep") != std::string_view::npos;
    for (const auto& options : {whep(), whip()}) {
      const bool matches = whepOffer == (options.role == AnswerOptions::Role::Send);
      auto r = SdpNegotiator::answer(text, options);
      if (!matches) {
        ASSERT_FALSE(r.ok()) << name;
        EXPECT_EQ(r.error().kind, Kind::DirectionMismatch) << name;
        continue;
      }
      ASSERT_TRUE(r.ok()) << name << ": " << r.error().describe();
      const auto sd = reparse(*r);
      ASSERT_EQ(sd.media.size(), parsedOffer->media.size()) << name;
      EXPECT_EQ(r->media.size() + r->rejected.size(), sd.media.size());
      for (std::size_t i = 0; i < sd.media.size(); ++i) {
        EXPECT_EQ(sd.media[i].media, parsedOffer->media[i].media) << name;
        EXPECT_EQ(sd.media[i].attribute("mid"), parsedOffer->media[i].attribute("mid")) << name;
      }
      EXPECT_EQ(SessionDescription::parse(sd.toString())->toString(), r->answer) << name;
    }
  }
}

}  // namespace
}  // namespace ocellus::proto::webrtc
