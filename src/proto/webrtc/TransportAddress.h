#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ocellus::proto::webrtc {

// An IP address and a port: where a STUN check came from, the remote end of the selected ICE
// pair. A plain value (no sockets, no name resolution, no Boost.Asio) so that the sans-I/O layer
// can compare, hash and key maps by it; the server converts its socket endpoints with ipv4() and
// ipv6() and back with addressBytes() and port().
class TransportAddress {
 public:
  enum class Family : std::uint8_t { Ipv4 = 4, Ipv6 = 6 };

  // The longest text parse() reads: "[" + an IPv6 literal with an embedded IPv4 part + "]:65535".
  static constexpr std::size_t kMaxTextSize = 1 + 45 + 1 + 6;

  TransportAddress() = default;  // 0.0.0.0:0

  static TransportAddress ipv4(const std::array<std::uint8_t, 4>& address, std::uint16_t port);
  static TransportAddress ipv6(const std::array<std::uint8_t, 16>& address, std::uint16_t port);

  // "192.0.2.1:3478" or "[2001:db8::1]:3478": an address literal and a decimal port. Host
  // names, IPv6 zone ids ("%eth0") and a missing port are rejected.
  static std::optional<TransportAddress> parse(std::string_view text);
  // An address literal alone, "192.0.2.1" or "2001:db8::1", with the given port.
  static std::optional<TransportAddress> parseIp(std::string_view ip, std::uint16_t port);

  Family family() const { return family_; }
  bool isIpv4() const { return family_ == Family::Ipv4; }
  bool isIpv6() const { return family_ == Family::Ipv6; }
  // The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
  std::span<const std::uint8_t> addressBytes() const {
    return std::span<const std::uint8_t>(bytes_).first(isIpv4() ? 4 : 16);
  }
  std::uint16_t port() const { return port_; }

  // An IPv4-mapped IPv6 address (::ffff:192.0.2.1, what a dual-stack socket reports for an IPv4
  // peer, RFC 4291 §2.5.5.2) as the IPv4 address it maps; any other address unchanged.
  TransportAddress unmapped() const;

  // The address alone: dotted quad, or RFC 5952 text for IPv6 ("2001:db8::1").
  std::string ipString() const;
  // "192.0.2.1:3478" or "[2001:db8::1]:3478": what parse() reads.
  std::string toString() const;
  std::size_t hash() const;

  // IPv4 sorts before IPv6; then by address bytes, then by port.
  friend auto operator<=>(const TransportAddress&, const TransportAddress&) = default;
  friend bool operator==(const TransportAddress&, const TransportAddress&) = default;

 private:
  Family family_ = Family::Ipv4;
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 in the first 4 bytes, the rest zero
  std::uint16_t port_ = 0;
};

}  // namespace ocellus::proto::webrtc

template <>
struct std::hash<ocellus::proto::webrtc::TransportAddress> {
  std::size_t operator()(const ocellus::proto::webrtc::TransportAddress& a) const noexcept {
    return a.hash();
  }
};
