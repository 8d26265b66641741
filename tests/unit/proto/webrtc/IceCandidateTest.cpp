#include "proto/webrtc/IceCandidate.h"

#include <gtest/gtest.h>

namespace ocellus::proto::webrtc {
namespace {

IceCandidate parseOk(std::string_view s) {
  auto c = IceCandidate::parse(s);
  EXPECT_TRUE(c.ok()) << s << ": " << (c.ok() ? "" : c.error().describe());
  return c.ok() ? *c : IceCandidate{};
}

base::ErrorCode parseError(std::string_view s) {
  auto c = IceCandidate::parse(s);
  EXPECT_FALSE(c.ok()) << s;
  return c.ok() ? base::ErrorCode::Ok : c.error().code;
}

TEST(IceCandidateTest, ChromiumHostUdp) {
  // tests/data/webrtc/sdp/chromium156_whep_offer.sdp
  const auto c =
      parseOk("a=candidate:2239504474 1 udp 2122194687 192.0.2.2 51128 typ host generation 0 network-id 1");
  EXPECT_EQ(c.foundation, "2239504474");
  EXPECT_EQ(c.component, 1);
  EXPECT_EQ(c.transport, IceCandidate::Transport::Udp);
  EXPECT_EQ(c.priority, 2122194687u);
  EXPECT_EQ(c.address, "192.0.2.2");
  EXPECT_EQ(c.addressKind(), IceCandidate::AddressKind::Ipv4);
  EXPECT_FALSE(c.isMdns());
  EXPECT_EQ(c.port, 51128);
  EXPECT_EQ(c.type, IceCandidate::Type::Host);
  EXPECT_FALSE(c.relatedAddress.has_value());
  EXPECT_FALSE(c.tcpType.has_value());
  EXPECT_EQ(c.generation(), 0u);
  EXPECT_EQ(c.networkId(), "1");
  EXPECT_FALSE(c.ufrag().has_value());
  EXPECT_EQ(c.toValue(), "2239504474 1 udp 2122194687 192.0.2.2 51128 typ host generation 0 network-id 1");
  EXPECT_EQ(c.toString(), "candidate:" + c.toValue());
}

TEST(IceCandidateTest, ChromiumTcpActiveIpv6) {
  const auto c = parseOk(
      "candidate:4240551538 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2");
  EXPECT_EQ(c.transport, IceCandidate::Transport::Tcp);
  EXPECT_EQ(c.addressKind(), IceCandidate::AddressKind::Ipv6);
  EXPECT_EQ(c.port, 9);
  EXPECT_EQ(c.tcpType, IceCandidate::TcpType::Active);
  ASSERT_EQ(c.extensions.size(), 2u);
  EXPECT_EQ(c.toValue(),
            "4240551538 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2");
}

TEST(IceCandidateTest, AiortcFoundationAndUpperCaseTransport) {
  // tests/data/webrtc/sdp/aiortc140_whep_offer.sdp: 32 hex digits of foundation, no extensions.
  const auto c = parseOk("f957a2332b1715da3b0ef8ba684454eb 1 UDP 2130706431 192.0.2.2 51555 typ host");
  EXPECT_EQ(c.foundation.size(), 32u);
  EXPECT_EQ(c.transport, IceCandidate::Transport::Udp);
  EXPECT_TRUE(c.extensions.empty());
  EXPECT_EQ(c.toValue(), "f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 51555 typ host");
}

TEST(IceCandidateTest, ReflexiveRelayAndMdns) {
  // RFC 8839 §5.1 grammar: raddr/rport after typ.
  const auto srflx = parseOk(
      "842163049 1 udp 1677729535 203.0.113.7 50702 typ srflx raddr 192.0.2.2 rport 50702 generation 0 ufrag "
      "y03s");
  EXPECT_EQ(srflx.type, IceCandidate::Type::ServerReflexive);
  EXPECT_EQ(srflx.relatedAddress, "192.0.2.2");
  EXPECT_EQ(srflx.relatedPort, 50702);
  EXPECT_EQ(srflx.ufrag(), "y03s");

  const auto relay = parseOk("3 1 udp 41885439 198.51.100.9 61000 typ relay raddr 203.0.113.7 rport 50702");
  EXPECT_EQ(relay.type, IceCandidate::Type::Relay);
  const auto prflx = parseOk("4 1 udp 1845501695 203.0.113.8 50000 typ prflx");
  EXPECT_EQ(prflx.type, IceCandidate::Type::PeerReflexive);

  // Chromium hides host addresses behind mDNS names (raddr 0.0.0.0 on reflexive ones).
  const auto mdns =
      parseOk("1 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54500 typ host generation 0");
  EXPECT_EQ(mdns.addressKind(), IceCandidate::AddressKind::Hostname);
  EXPECT_TRUE(mdns.isMdns());
  EXPECT_EQ(mdns.address, "1f4712db-ea17-4bcf-a596-105139dfd8bf.local");
  EXPECT_FALSE(parseOk("1 1 udp 1 relay.example.com 3478 typ host").isMdns());

  // tcptype before raddr (as some stacks write it) is read and written back in grammar order.
  const auto tcp =
      parseOk("5 1 TCP 1010827775 203.0.113.7 9 typ srflx tcptype passive raddr 192.0.2.2 rport 9");
  EXPECT_EQ(tcp.tcpType, IceCandidate::TcpType::Passive);
  EXPECT_EQ(tcp.toValue(),
            "5 1 tcp 1010827775 203.0.113.7 9 typ srflx raddr 192.0.2.2 rport 9 tcptype passive");
  EXPECT_EQ(parseOk("6 1 tcp 1 192.0.2.1 9 typ host tcptype so").tcpType,
            IceCandidate::TcpType::SimultaneousOpen);
}

TEST(IceCandidateTest, RoundTrip) {
  for (const auto* s : {
           "2239504474 1 udp 2122194687 192.0.2.2 51128 typ host generation 0 network-id 1",
           "842163049 1 udp 1677729535 203.0.113.7 50702 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag "
           "y03s "
           "network-id 1 network-cost 10",
           "a 256 tcp 0 x.local 65535 typ host tcptype passive",
       }) {
    const auto c = parseOk(s);
    EXPECT_EQ(c.toValue(), s);
    EXPECT_EQ(parseOk(c.toString()), c);
  }
}

TEST(IceCandidateTest, Errors) {
  EXPECT_EQ(parseError(""), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("candidate:1 1 udp 1 192.0.2.1 9 typ"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 0 udp 1 192.0.2.1 9 typ host"), base::ErrorCode::Malformed);    // component 0
  EXPECT_EQ(parseError("1 257 udp 1 192.0.2.1 9 typ host"), base::ErrorCode::Malformed);  // component > 256
  EXPECT_EQ(parseError("1 1 udp 4294967296 192.0.2.1 9 typ host"), base::ErrorCode::Malformed);  // > 32 bits
  EXPECT_EQ(parseError("1 1 udp -1 192.0.2.1 9 typ host"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 1 udp 1 192.0.2.1 65536 typ host"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 1 udp 1 192.0.2.999 9 typ host"), base::ErrorCode::Malformed);  // not an address
  EXPECT_EQ(parseError("1 1 udp 1 -bad-.local 9 typ host"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 1 udp 1 192.0.2.1 9 type host"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("f@o 1 udp 1 192.0.2.1 9 typ host"), base::ErrorCode::Malformed);  // not ice-char
  EXPECT_EQ(parseError(std::string(33, 'f') + " 1 udp 1 192.0.2.1 9 typ host"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 1 udp 1 192.0.2.1 9 typ host generation"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 1 udp 1 192.0.2.1 9 typ host tcptype passive"), base::ErrorCode::Malformed);  // UDP
  EXPECT_EQ(parseError("1 1 tcp 1 192.0.2.1 9 typ host tcptype sideways"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 1 udp 1 192.0.2.1 9 typ host raddr 1.2.3.4 raddr 1.2.3.4"),
            base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 1 udp 1 192.0.2.1 9 typ host x\x01y 1"), base::ErrorCode::Malformed);
  EXPECT_EQ(parseError("1 1 sctp 1 192.0.2.1 9 typ host"), base::ErrorCode::Unsupported);
  EXPECT_EQ(parseError("1 1 udp 1 192.0.2.1 9 typ stun"), base::ErrorCode::Unsupported);
  EXPECT_EQ(parseError(std::string(IceCandidate::kMaxSize + 1, '1')), base::ErrorCode::TooLarge);
  std::string many = "1 1 udp 1 192.0.2.1 9 typ host";
  for (std::size_t i = 0; i <= IceCandidate::kMaxExtensions; ++i) many += " e" + std::to_string(i) + " v";
  EXPECT_EQ(parseError(many), base::ErrorCode::TooLarge);
}

TEST(IceCandidateTest, PriorityFormula) {
  // RFC 8445 §5.1.2.1 with host type preference 126 and local preference 65535: what aiortc
  // writes for its host candidates.
  EXPECT_EQ(IceCandidate::computePriority(126, 65535, 1), 2130706431u);
  EXPECT_EQ(IceCandidate::computePriority(0, 0, 256), 0u);
  EXPECT_EQ(IceCandidate::computePriority(126, 0, 1), (126u << 24) + 255);
  // Chromium's host UDP candidate above: type preference 126, local preference 32286.
  EXPECT_EQ(IceCandidate::computePriority(126, 32286, 1), 2122194687u);

  // RFC 6544 §4.2: direction-pref 6/4/2 for active/passive/so in the top three bits.
  EXPECT_EQ(IceCandidate::tcpLocalPreference(IceCandidate::TcpType::Active, 0), 6 << 13);
  EXPECT_EQ(IceCandidate::tcpLocalPreference(IceCandidate::TcpType::Passive, 8191), (4 << 13) + 8191);
  EXPECT_EQ(IceCandidate::tcpLocalPreference(IceCandidate::TcpType::SimultaneousOpen, 65535),
            (2 << 13) + 8191);
}

TEST(IceCandidateTest, OurHostCandidates) {
  const auto udp = IceCandidate::host("1", IceCandidate::Transport::Udp, "192.0.2.10", 8189);
  EXPECT_EQ(udp.toValue(), "1 1 udp 2130706431 192.0.2.10 8189 typ host");
  const auto tcp = IceCandidate::host("2", IceCandidate::Transport::Tcp, "2001:db8::10", 8189);
  EXPECT_EQ(tcp.tcpType, IceCandidate::TcpType::Passive);
  EXPECT_EQ(tcp.priority, (126u << 24) + (((4u << 13) + 8191) << 8) + 255);
  EXPECT_EQ(tcp.toValue(), "2 1 tcp 2124414975 2001:db8::10 8189 typ host tcptype passive");
  EXPECT_LT(tcp.priority, udp.priority);  // the browser tries UDP first
  // A second address ranks below the first.
  EXPECT_LT(IceCandidate::host("3", IceCandidate::Transport::Udp, "198.51.100.10", 8189, 65534).priority,
            udp.priority);
  EXPECT_EQ(parseOk(udp.toString()), udp);
  EXPECT_EQ(parseOk(tcp.toString()), tcp);
}

}  // namespace
}  // namespace ocellus::proto::webrtc
