#include "proto/webrtc/IceCandidate.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "format/sdp/Text.h"
#include "proto/webrtc/SdpSyntax.h"

namespace ocellus::proto::webrtc {
namespace {

using format::sdp::parseNumber;

constexpr std::size_t kMaxHostnameSize = 253;  // RFC 1035 §2.3.4
constexpr std::size_t kMaxExtensionNameSize = 64;
constexpr std::size_t kMaxExtensionValueSize = 256;

base::Error malformed(std::string_view what) {
  return base::makeError(base::ErrorCode::Malformed, "candidate: " + std::string(what));
}

bool isIpv4(const std::string& s) {
  in_addr a{};
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool isIpv6(const std::string& s) {
  in6_addr a{};
  return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

// RFC 1123 §2.1 host name: dot-separated labels of letters, digits and inner hyphens.
bool isHostname(std::string_view s) {
  if (s.empty() || s.size() > kMaxHostnameSize) return false;
  while (true) {
    const auto dot = s.find('.');
    const std::string_view label = s.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (!std::ranges::all_of(
            label, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; })) {
      return false;
    }
    // RFC 3696 §2: a top-level label is not all digits, which keeps "1.2.3.999" out.
    const bool last = dot == std::string_view::npos || dot + 1 == s.size();  // "host.local." ends at the root
    if (last)
      return !std::ranges::all_of(label, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    s.remove_prefix(dot + 1);
  }
}

bool isAddress(std::string_view s) {
  const std::string copy(s);
  return isIpv4(copy) || isIpv6(copy) || isHostname(s);
}

std::optional<IceCandidate::Type> parseType(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, IceCandidate::Type>, 4> kTypes{{
      {"host", IceCandidate::Type::Host},
      {"srflx", IceCandidate::Type::ServerReflexive},
      {"prflx", IceCandidate::Type::PeerReflexive},
      {"relay", IceCandidate::Type::Relay},
  }};
  for (const auto& [name, type] : kTypes) {
    if (iequals(s, name)) return type;
  }
  return std::nullopt;
}

std::string_view typeName(IceCandidate::Type type) {
  switch (type) {
    case IceCandidate::Type::Host:
      return "host";
    case IceCandidate::Type::ServerReflexive:
      return "srflx";
    case IceCandidate::Type::PeerReflexive:
      return "prflx";
    case IceCandidate::Type::Relay:
      return "relay";
  }
  return "host";
}

std::optional<IceCandidate::TcpType> parseTcpType(std::string_view s) {
  if (iequals(s, "active")) return IceCandidate::TcpType::Active;
  if (iequals(s, "passive")) return IceCandidate::TcpType::Passive;
  if (iequals(s, "so")) return IceCandidate::TcpType::SimultaneousOpen;
  return std::nullopt;
}

std::string_view tcpTypeName(IceCandidate::TcpType t) {
  switch (t) {
    case IceCandidate::TcpType::Active:
      return "active";
    case IceCandidate::TcpType::Passive:
      return "passive";
    case IceCandidate::TcpType::SimultaneousOpen:
      return "so";
  }
  return "passive";
}

std::string_view stripPrefix(std::string_view s, std::string_view prefix) {
  if (s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix))
    s.remove_prefix(prefix.size());
  return s;
}

}  // namespace

base::Result<IceCandidate> IceCandidate::parse(std::string_view text) {
  if (text.size() > kMaxSize)
    return base::makeError(base::ErrorCode::TooLarge, "candidate longer than 1024 bytes");
  // Line ends of a pasted SDP line are not part of the value.
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
  text = stripPrefix(stripPrefix(format::sdp::trim(text), "a="), "candidate:");
  const auto f = splitFields(text);
  if (f.size() < 8) return malformed("expected at least 8 fields");
  if (!std::ranges::all_of(f, [](std::string_view field) { return isVisible(field); })) {
    return malformed("control character");
  }

  IceCandidate c;
  if (!isIceChars(f[0], 1, kMaxFoundationSize)) return malformed("bad foundation");
  c.foundation = std::string(f[0]);
  const auto component = parseNumber<std::uint16_t>(f[1]);
  if (!component || *component == 0 || *component > kMaxComponent) return malformed("bad component id");
  c.component = *component;
  if (iequals(f[2], "udp")) {
    c.transport = Transport::Udp;
  } else if (iequals(f[2], "tcp")) {
    c.transport = Transport::Tcp;
  } else {
    if (!isToken(f[2])) return malformed("bad transport");
    return base::makeError(base::ErrorCode::Unsupported,
                           "candidate: transport " + std::string(f[2].substr(0, 16)));
  }
  const auto priority = parseNumber<std::uint32_t>(f[3]);
  if (!priority) return malformed("bad priority");
  c.priority = *priority;
  if (!isAddress(f[4])) return malformed("bad connection address");
  c.address = std::string(f[4]);
  const auto port = parseNumber<std::uint16_t>(f[5]);
  if (!port) return malformed("bad port");
  c.port = *port;
  if (!iequals(f[6], "typ")) return malformed("expected 'typ'");
  const auto type = parseType(f[7]);
  if (!type) {
    if (!isToken(f[7])) return malformed("bad candidate type");
    return base::makeError(base::ErrorCode::Unsupported,
                           "candidate: type " + std::string(f[7].substr(0, 16)));
  }
  c.type = *type;

  // raddr, rport and tcptype are recognised wherever they appear among the extensions (RFC 8839
  // puts raddr/rport first; implementations put tcptype before or after them).
  if ((f.size() - 8) % 2 != 0) return malformed("extension name without a value");
  if ((f.size() - 8) / 2 > kMaxExtensions + 3) {
    return base::makeError(base::ErrorCode::TooLarge, "candidate: too many extensions");
  }
  for (std::size_t i = 8; i < f.size(); i += 2) {
    const std::string_view name = f[i];
    const std::string_view value = f[i + 1];
    if (iequals(name, "raddr")) {
      if (c.relatedAddress || !isAddress(value)) return malformed("bad or repeated raddr");
      c.relatedAddress = std::string(value);
    } else if (iequals(name, "rport")) {
      const auto rport = parseNumber<std::uint16_t>(value);
      if (c.relatedPort || !rport) return malformed("bad or repeated rport");
      c.relatedPort = *rport;
    } else if (iequals(name, "tcptype")) {
      const auto tcpType = parseTcpType(value);
      if (c.tcpType || !tcpType || c.transport != Transport::Tcp)
        return malformed("bad or misplaced tcptype");
      c.tcpType = *tcpType;
    } else {
      if (!isToken(name, kMaxExtensionNameSize) || value.size() > kMaxExtensionValueSize) {
        return malformed("bad extension");
      }
      if (c.extensions.size() == kMaxExtensions) {
        return base::makeError(base::ErrorCode::TooLarge, "candidate: too many extensions");
      }
      c.extensions.emplace_back(name, value);
    }
  }
  return c;
}

std::string IceCandidate::toValue() const {
  std::string s = foundation + " " + std::to_string(component) +
                  (transport == Transport::Udp ? " udp " : " tcp ") + std::to_string(priority) + " " +
                  address + " " + std::to_string(port) + " typ ";
  s += typeName(type);
  if (relatedAddress) s += " raddr " + *relatedAddress;
  if (relatedPort) s += " rport " + std::to_string(*relatedPort);
  if (tcpType) {
    s += " tcptype ";
    s += tcpTypeName(*tcpType);
  }
  for (const auto& [name, value] : extensions) s += " " + name + " " + value;
  return s;
}

IceCandidate::AddressKind IceCandidate::addressKind() const {
  if (isIpv4(address)) return AddressKind::Ipv4;
  if (isIpv6(address)) return AddressKind::Ipv6;
  return AddressKind::Hostname;
}

bool IceCandidate::isMdns() const {
  std::string_view name = address;
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  constexpr std::string_view kSuffix = ".local";
  return addressKind() == AddressKind::Hostname && name.size() > kSuffix.size() &&
         iequals(name.substr(name.size() - kSuffix.size()), kSuffix);
}

std::optional<std::string_view> IceCandidate::extension(std::string_view name) const {
  for (const auto& [key, value] : extensions) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::uint32_t> IceCandidate::generation() const {
  const auto value = extension("generation");
  return value ? parseNumber<std::uint32_t>(*value) : std::nullopt;
}

std::uint32_t IceCandidate::computePriority(std::uint8_t typePreference, std::uint16_t localPreference,
                                            std::uint16_t component) {
  const std::uint32_t c = std::clamp<std::uint16_t>(component, 1, kMaxComponent);
  return (static_cast<std::uint32_t>(std::min<std::uint8_t>(typePreference, 126)) << 24) +
         (static_cast<std::uint32_t>(localPreference) << 8) + (256 - c);
}

std::uint16_t IceCandidate::tcpLocalPreference(TcpType tcpType, std::uint16_t otherPreference) {
  std::uint16_t directionPreference = 4;
  if (tcpType == TcpType::Active) directionPreference = 6;
  if (tcpType == TcpType::SimultaneousOpen) directionPreference = 2;
  return static_cast<std::uint16_t>((directionPreference << 13) +
                                    std::min<std::uint16_t>(otherPreference, 8191));
}

IceCandidate IceCandidate::host(std::string foundation, Transport transport, std::string address,
                                std::uint16_t port, std::uint16_t addressPreference) {
  IceCandidate c;
  c.foundation = std::move(foundation);
  c.transport = transport;
  c.address = std::move(address);
  c.port = port;
  c.type = Type::Host;
  std::uint16_t localPreference = addressPreference;
  if (transport == Transport::Tcp) {
    c.tcpType = TcpType::Passive;
    localPreference = tcpLocalPreference(TcpType::Passive, addressPreference);
  }
  c.priority = computePriority(kHostTypePreference, localPreference, c.component);
  return c;
}

}  // namespace ocellus::proto::webrtc
