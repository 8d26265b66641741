#include "proto/webrtc/TrickleFragment.h"

#include <gtest/gtest.h>

#include <string>

namespace ocellus::proto::webrtc {
namespace {

TrickleFragment parseOk(std::string_view s) {
  auto f = TrickleFragment::parse(s);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().describe());
  if (!f.ok()) return {};
  // Whatever parses survives toString -> parse.
  auto again = TrickleFragment::parse(f->toString());
  EXPECT_TRUE(again.ok());
  if (again.ok()) {
    auto expected = *f;
    expected.ignoredCandidates = 0;
    EXPECT_EQ(*again, expected) << f->toString();
  }
  return *f;
}

base::ErrorCode parseError(std::string_view s) {
  auto f = TrickleFragment::parse(s);
  EXPECT_FALSE(f.ok()) << s;
  return f.ok() ? base::ErrorCode::Ok : f.error().code;
}

TEST(TrickleFragmentTest, Rfc8840InfoBody) {
  // The shape of RFC 8840 §4.4's INFO body: session-level credentials, one m= section named by
  // its mid, a candidate and end-of-candidates.
  const auto f = parseOk(
      "a=ice-pwd:asd88fgpdd777uzjYhagZg\r\n"
      "a=ice-ufrag:8hhY\r\n"
      "m=audio 5000 RTP/AVP 0\r\n"
      "a=mid:1\r\n"
      "a=candidate:1 1 UDP 1658497328 192.0.2.3 5000 typ host\r\n"
      "a=end-of-candidates\r\n");
  EXPECT_EQ(f.ufrag(), "8hhY");
  EXPECT_EQ(f.pwd(), "asd88fgpdd777uzjYhagZg");
  EXPECT_EQ(f.iceUfrag, "8hhY");
  EXPECT_FALSE(f.iceLite);
  EXPECT_TRUE(f.bundle.empty());
  ASSERT_EQ(f.sections.size(), 1u);
  const auto& s = f.sections[0];
  EXPECT_EQ(s.media, "audio");
  EXPECT_EQ(s.port, 5000);
  EXPECT_EQ(s.proto, "RTP/AVP");
  EXPECT_EQ(s.formats, std::vector<std::string>{"0"});
  EXPECT_EQ(s.mid, "1");
  ASSERT_EQ(s.candidates.size(), 1u);
  EXPECT_EQ(s.candidates[0].address, "192.0.2.3");
  EXPECT_EQ(s.candidates[0].port, 5000);
  EXPECT_TRUE(s.endOfCandidates);
  EXPECT_FALSE(f.endOfCandidates);
  EXPECT_TRUE(f.complete());
  EXPECT_EQ(f.find("1"), &s);
  EXPECT_EQ(f.find("0"), nullptr);
}

TEST(TrickleFragmentTest, WhipPatchBody) {
  // The shape of RFC 9725 §4.3.1's trickle PATCH: BUNDLE group, credentials inside the first
  // m= section, Chromium-style candidates (UDP and active TCP on two networks).
  const auto f = parseOk(
      "a=group:BUNDLE 0 1\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
      "a=mid:0\r\n"
      "a=ice-ufrag:EsAw\r\n"
      "a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n"
      "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id "
      "1\r\n"
      "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw "
      "network-id 2\r\n"
      "a=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 ufrag EsAw "
      "network-id 1\r\n"
      "a=candidate:2154773085 1 tcp 1518214911 198.51.100.2 9 typ host tcptype active generation 0 ufrag "
      "EsAw "
      "network-id 2\r\n"
      "a=end-of-candidates\r\n");
  EXPECT_EQ(f.bundle, (std::vector<std::string>{"0", "1"}));
  EXPECT_FALSE(f.iceUfrag.has_value());
  EXPECT_EQ(f.ufrag(), "EsAw");  // from the section
  EXPECT_EQ(f.pwd(), "bP+XJMM09aR8AiX1jdukzR6Y");
  ASSERT_EQ(f.sections.size(), 1u);
  const auto& c = f.sections[0].candidates;
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[2].transport, IceCandidate::Transport::Tcp);
  EXPECT_EQ(c[2].tcpType, IceCandidate::TcpType::Active);
  EXPECT_EQ(c[3].ufrag(), "EsAw");
  EXPECT_TRUE(f.complete());
}

TEST(TrickleFragmentTest, ChromiumCandidatesAsAWhepPlayerSendsThem) {
  // A player's PATCH built from the candidates Chromium gathered for
  // tests/data/webrtc/sdp/chromium156_whep_offer.sdp; LF line ends and a trailing blank line.
  const auto f = parseOk(
      "a=ice-ufrag:3jSv\n"
      "a=ice-pwd:kIv2fauPp1Eq/PSmEkHyKTXa\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\n"
      "a=mid:0\n"
      "a=candidate:3422512885 1 udp 2122194687 192.0.2.2 39812 typ host generation 0 network-id 1\n"
      "a=candidate:3431795269 1 udp 2122265343 fd00::2 48568 typ host generation 0 network-id 2\n"
      "\n");
  EXPECT_EQ(f.ufrag(), "3jSv");
  ASSERT_EQ(f.sections.size(), 1u);
  ASSERT_EQ(f.sections[0].candidates.size(), 2u);
  EXPECT_EQ(f.sections[0].candidates[1].addressKind(), IceCandidate::AddressKind::Ipv6);
  EXPECT_FALSE(f.complete());
  // The caller compares credentials: the same ones trickle, other ones restart ICE.
  EXPECT_TRUE(f.ufrag() == "3jSv" && f.pwd() == "kIv2fauPp1Eq/PSmEkHyKTXa");
}

TEST(TrickleFragmentTest, ToleranceAndSessionLevelLines) {
  const auto f = parseOk(
      "a=ice-options:trickle ice2\r\n"
      "a=ice-lite\r\n"
      "a=ice-ufrag:abcd\r\n"
      "a=ice-ufrag:abcd\r\n"  // repeated, same value
      "c=IN IP4 0.0.0.0\r\n"  // not part of the grammar: ignored
      "a=x-unknown:1\r\n"
      "a=group:LS 0 1\r\n"  // not BUNDLE: ignored
      "a=end-of-candidates\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
      "a=mid:v\r\n"
      "a=candidate:1 1 udp 1 mdns-name.local 9 typ host\r\n"
      "a=candidate:2 1 sctp 1 192.0.2.1 9 typ host\r\n"  // a transport we do not know: skipped
      "a=rtcp-mux\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
  EXPECT_EQ(f.iceOptions, (std::vector<std::string>{"trickle", "ice2"}));
  EXPECT_TRUE(f.iceLite);
  EXPECT_EQ(f.ufrag(), "abcd");
  EXPECT_FALSE(f.pwd().has_value());
  EXPECT_TRUE(f.bundle.empty());
  EXPECT_TRUE(f.endOfCandidates);
  ASSERT_EQ(f.sections.size(), 2u);
  EXPECT_EQ(f.sections[0].formats, (std::vector<std::string>{"96", "97"}));
  ASSERT_EQ(f.sections[0].candidates.size(), 1u);
  EXPECT_TRUE(f.sections[0].candidates[0].isMdns());
  EXPECT_EQ(f.ignoredCandidates, 1u);
  EXPECT_TRUE(f.sections[1].mid.empty());
  EXPECT_EQ(
      f.toString(),
      "a=ice-lite\r\na=ice-options:trickle ice2\r\na=ice-ufrag:abcd\r\na=end-of-candidates\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:v\r\na=candidate:1 1 udp 1 mdns-name.local 9 typ host\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
  // Only candidates, no credentials: a plain trickle whose ufrag the caller cannot check.
  const auto bare =
      parseOk("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=candidate:1 1 udp 1 192.0.2.1 9 typ host\r\n");
  EXPECT_FALSE(bare.ufrag().has_value());
  EXPECT_EQ(parseOk("").sections.size(), 0u);
}

TEST(TrickleFragmentTest, Errors) {
  EXPECT_EQ(parseError("hello\r\n"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("a=candidate:1 1 udp 1 192.0.2.1 9 typ host\r\n"),
            base::ErrorCode::Malformed);  // before m=
  EXPECT_EQ(parseError("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=candidate:1 1 udp 1 192.0.2.1 9 typ\r\n"),
            base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("m=audio 9 UDP/TLS/RTP/SAVPF\r\n"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("m=audio x UDP/TLS/RTP/SAVPF 0\r\n"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("a=ice-ufrag:ab\r\n"), base::ErrorCode::Malformed);  // RFC 8839 §5.4: 4 or more
  EXPECT_EQ(parseError("a=ice-pwd:short\r\n"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("a=ice-ufrag:abcd\r\na=ice-ufrag:efgh\r\n"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("a=ice-ufrag:abcd\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:efgh\r\n"),
            base::ErrorCode::Malformed);  // one transport, one set of credentials
  EXPECT_EQ(
      parseError("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\nm=video 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"),
      base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("a=mid:0\r\n"), base::ErrorCode::Malformed);  // outside a section
  EXPECT_EQ(parseError(std::string(TrickleFragment::kMaxSize + 1, '\n')), base::ErrorCode::TooLarge);
  EXPECT_EQ(parseError(std::string(TrickleFragment::kMaxLines + 1, '\n')), base::ErrorCode::TooLarge);
  std::string many = "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n";
  for (std::size_t i = 0; i <= TrickleFragment::kMaxCandidates; ++i)
    many += "a=candidate:1 1 udp 1 192.0.2.1 9 typ host\r\n";
  EXPECT_EQ(parseError(many), base::ErrorCode::TooLarge);
  std::string sections;
  for (std::size_t i = 0; i <= TrickleFragment::kMaxSections; ++i)
    sections += "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n";
  EXPECT_EQ(parseError(sections), base::ErrorCode::TooLarge);
}

TEST(TrickleFragmentTest, OurFragmentForAnIceRestart) {
  // The answer to an ICE-restart PATCH (RFC 9725 §4.3.2): new credentials, our candidates.
  NegotiatedSession session;
  session.media.push_back(NegotiatedMedia{});
  session.media[0].mid = "0";
  session.media[0].kind = codec::MediaKind::Audio;
  session.media[0].payloadType = 111;
  session.media.push_back(NegotiatedMedia{});
  session.media[1].mid = "1";
  session.media[1].kind = codec::MediaKind::Video;
  session.media[1].payloadType = 102;
  const auto f =
      TrickleFragment::local(session, "289b31b754eaa438", "0b66f472495ef0ccac7bda653ab6be49ea13114472a5d10a",
                             {IceCandidate::host("1", IceCandidate::Transport::Udp, "198.51.100.1", 39132)});
  EXPECT_EQ(f.toString(),
            "a=ice-lite\r\n"
            "a=ice-ufrag:289b31b754eaa438\r\n"
            "a=ice-pwd:0b66f472495ef0ccac7bda653ab6be49ea13114472a5d10a\r\n"
            "a=group:BUNDLE 0 1\r\n"
            "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
            "a=mid:0\r\n"
            "a=candidate:1 1 udp 2130706431 198.51.100.1 39132 typ host\r\n"
            "a=end-of-candidates\r\n"
            "m=video 9 UDP/TLS/RTP/SAVPF 102\r\n"
            "a=mid:1\r\n");
  const auto again = TrickleFragment::parse(f.toString());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, f);
  EXPECT_TRUE(again->complete());
}

}  // namespace
}  // namespace ocellus::proto::webrtc
