#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Result.h"

namespace ocellus::proto::webrtc {

// One ICE candidate, the value of an "a=candidate:" attribute (RFC 8839 §5.1, TCP candidates
// RFC 6544 §4.5):
//
//   candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP
//                         priority SP connection-address SP port SP "typ" SP cand-type
//                         [SP "raddr" SP connection-address] [SP "rport" SP port]
//                         *(SP extension-att-name SP extension-att-value)
//
//   candidate:842163049 1 udp 1677729535 203.0.113.7 50702 typ srflx raddr 192.0.2.2
//             rport 50702 generation 0 ufrag y03s network-id 1
//
// Our own candidates (host UDP, host passive TCP) are built with host(); the browser's arrive
// in offers and trickled PATCH bodies. Plain data, parse/toString round-trip.
struct IceCandidate {
  static constexpr std::size_t kMaxSize = 1024;          // one attribute value
  static constexpr std::size_t kMaxExtensions = 16;      // name/value pairs after typ/raddr/rport
  static constexpr std::size_t kMaxFoundationSize = 32;  // RFC 8839 §5.1: 1*32ice-char
  static constexpr std::uint16_t kMaxComponent = 256;    // RFC 8445 §5.1.1.1

  enum class Transport { Udp, Tcp };
  enum class Type { Host, ServerReflexive, PeerReflexive, Relay };  // host / srflx / prflx / relay
  enum class TcpType { Active, Passive, SimultaneousOpen };         // RFC 6544 §4.5: active / passive / so
  enum class AddressKind { Ipv4, Ipv6, Hostname };

  std::string foundation;
  std::uint16_t component = 1;  // 1 = RTP; with rtcp-mux there is no 2
  Transport transport = Transport::Udp;
  std::uint32_t priority = 0;
  // An IPv4 or IPv6 literal, or a host name: browsers hide local addresses behind mDNS names
  // ("1f4712db-ea17-4bcf-a596-105139dfd8bf.local") that only the local network can resolve.
  std::string address;
  std::uint16_t port = 0;
  Type type = Type::Host;
  std::optional<std::string> relatedAddress;  // raddr
  std::optional<std::uint16_t> relatedPort;   // rport
  std::optional<TcpType> tcpType;             // TCP candidates only
  // Other extensions in order (Chromium: generation, ufrag, network-id, network-cost).
  std::vector<std::pair<std::string, std::string>> extensions;

  // Parses an attribute value, with or without a leading "a=" and "candidate:" (the browser's
  // RTCIceCandidate.candidate string has "candidate:"). Keywords, transport and types are
  // case-insensitive. Malformed: a field missing or out of range, an address that is neither an
  // IP literal nor a host name, a value with control characters, a dangling extension name.
  // Unsupported: a transport other than UDP/TCP or a candidate type other than the four.
  // TooLarge: longer than kMaxSize or more than kMaxExtensions extensions.
  static base::Result<IceCandidate> parse(std::string_view text);
  // The attribute value (after "candidate:"): the fields in grammar order, then tcptype, then
  // the other extensions; transport lower case as browsers write it.
  std::string toValue() const;
  // "candidate:" + toValue(), the form of RTCIceCandidate.candidate and of the SDP attribute.
  std::string toString() const { return "candidate:" + toValue(); }

  AddressKind addressKind() const;
  // An mDNS name (RFC 6762 ".local"), which a server cannot resolve: ICE-lite ignores remote
  // candidates anyway, but logs and metrics may want to know.
  bool isMdns() const;
  // The value of an extension by name (case-insensitive), nullopt when absent.
  std::optional<std::string_view> extension(std::string_view name) const;
  std::optional<std::uint32_t> generation() const;
  std::optional<std::string_view> ufrag() const { return extension("ufrag"); }
  std::optional<std::string_view> networkId() const { return extension("network-id"); }

  // RFC 8445 §5.1.2.1: priority = 2^24 * type preference + 2^8 * local preference
  //                                + (256 - component ID).
  static constexpr std::uint8_t kHostTypePreference = 126;  // §5.1.2.2 recommended values
  static constexpr std::uint8_t kPeerReflexiveTypePreference = 110;
  static constexpr std::uint8_t kServerReflexiveTypePreference = 100;
  static constexpr std::uint8_t kRelayTypePreference = 0;
  static std::uint32_t computePriority(std::uint8_t typePreference, std::uint16_t localPreference,
                                       std::uint16_t component);
  // RFC 6544 §4.2: a TCP candidate's local preference is 2^13 * direction-pref + other-pref,
  // direction-pref for host candidates 6 (active), 4 (passive), 2 (so); other-pref 0..8191
  // ranks the addresses (larger values are capped).
  static std::uint16_t tcpLocalPreference(TcpType tcpType, std::uint16_t otherPreference);

  // One of our host candidates: typ host, component 1, priority from the formulas above with
  // `addressPreference` as the local preference (UDP) or other-pref (TCP, which is passive: the
  // browser connects to us, RFC 6544 §4.5). A single-homed server keeps the default; give each
  // address a different value when there are several (RFC 8445 §5.1.2.1). A passive TCP
  // candidate thus always ranks below a UDP one at the same type preference.
  static IceCandidate host(std::string foundation, Transport transport, std::string address,
                           std::uint16_t port, std::uint16_t addressPreference = 65535);

  bool operator==(const IceCandidate&) const = default;
};

}  // namespace ocellus::proto::webrtc
