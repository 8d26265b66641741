#include "proto/webrtc/TransportAddress.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace ocellus::proto::webrtc {
namespace {

// The longest address literal inet_pton reads (INET6_ADDRSTRLEN less its NUL).
constexpr std::size_t kMaxIpTextSize = 45;

std::optional<std::uint16_t> parsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 0xffff) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

TransportAddress TransportAddress::ipv4(const std::array<std::uint8_t, 4>& address, std::uint16_t port) {
  TransportAddress a;
  std::copy(address.begin(), address.end(), a.bytes_.begin());
  a.port_ = port;
  return a;
}

TransportAddress TransportAddress::ipv6(const std::array<std::uint8_t, 16>& address, std::uint16_t port) {
  TransportAddress a;
  a.family_ = Family::Ipv6;
  a.bytes_ = address;
  a.port_ = port;
  return a;
}

std::optional<TransportAddress> TransportAddress::parseIp(std::string_view ip, std::uint16_t port) {
  if (ip.empty() || ip.size() > kMaxIpTextSize) return std::nullopt;
  // inet_pton wants a C string; it takes only numeric literals (no names, no zone ids) and
  // rejects leading zeros in dotted quads, so "010.0.0.1" is not read as octal.
  char text[kMaxIpTextSize + 1] = {};
  std::memcpy(text, ip.data(), ip.size());
  if (ip.find(':') == std::string_view::npos) {
    std::array<std::uint8_t, 4> v4{};
    if (inet_pton(AF_INET, text, v4.data()) != 1) return std::nullopt;
    return ipv4(v4, port);
  }
  std::array<std::uint8_t, 16> v6{};
  if (inet_pton(AF_INET6, text, v6.data()) != 1) return std::nullopt;
  return ipv6(v6, port);
}

std::optional<TransportAddress> TransportAddress::parse(std::string_view text) {
  if (text.size() > kMaxTextSize) return std::nullopt;
  std::string_view ip;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    ip = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (ip.find(':') == std::string_view::npos) return std::nullopt;  // "[192.0.2.1]:1"
  } else {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
      return std::nullopt;
    ip = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  const auto number = parsePort(port);
  if (!number) return std::nullopt;
  return parseIp(ip, *number);
}

TransportAddress TransportAddress::unmapped() const {
  static constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (!isIpv6() || std::memcmp(bytes_.data(), kMappedPrefix, sizeof kMappedPrefix) != 0) return *this;
  return ipv4({bytes_[12], bytes_[13], bytes_[14], bytes_[15]}, port_);
}

std::string TransportAddress::ipString() const {
  // inet_ntop writes RFC 5952 text: lower case, the longest run of zero groups as "::".
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(isIpv4() ? AF_INET : AF_INET6, bytes_.data(), text, sizeof text);
  return text;
}

std::string TransportAddress::toString() const {
  std::string s = isIpv4() ? ipString() : "[" + ipString() + "]";
  s += ':';
  s += std::to_string(port_);
  return s;
}

std::size_t TransportAddress::hash() const {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  std::memcpy(&high, bytes_.data(), 8);
  std::memcpy(&low, bytes_.data() + 8, 8);
  // Fold the fields, then mix (the splitmix64 finalizer) so that near addresses spread.
  std::uint64_t h = high ^ (low * 0x9e3779b97f4a7c15ULL) ^
                    (std::uint64_t{port_} << 8 | static_cast<std::uint8_t>(family_)) * 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return static_cast<std::size_t>(h);
}

}  // namespace ocellus::proto::webrtc
