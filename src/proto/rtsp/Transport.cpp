#include "proto/rtsp/Transport.h"

#include <cstdio>

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {
namespace {

base::Error malformed(std::string_view what) {
  return base::makeError(base::ErrorCode::Malformed, "Transport: bad " + std::string(what));
}

std::optional<PortRange> parseRange(std::string_view s) {
  const auto dash = s.find('-');
  const auto first = parseUnsigned<std::uint16_t>(trim(s.substr(0, dash)));
  if (!first) return std::nullopt;
  if (dash == std::string_view::npos) return PortRange{*first, *first};
  const auto last = parseUnsigned<std::uint16_t>(trim(s.substr(dash + 1)));
  if (!last) return std::nullopt;
  return PortRange{*first, *last};
}

std::string formatRange(const PortRange& r) {
  return r.first == r.last ? std::to_string(r.first) : std::to_string(r.first) + "-" + std::to_string(r.last);
}

std::string_view unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

base::Result<Transport> Transport::parse(std::string_view spec) {
  const auto params = splitList(spec, ';');
  if (params.empty()) return malformed("empty transport-spec");
  Transport t;
  const std::string_view protocol = params[0];
  if (iequals(protocol, "RTP/AVP") || iequals(protocol, "RTP/AVP/UDP")) {
    t.lower = Lower::Udp;
  } else if (iequals(protocol, "RTP/AVP/TCP")) {
    t.lower = Lower::Tcp;
  } else {
    return base::makeError(base::ErrorCode::Unsupported, "Transport: unsupported " + std::string(protocol));
  }
  for (std::size_t i = 1; i < params.size(); ++i) {
    const auto eq = params[i].find('=');
    const std::string_view name = trim(params[i].substr(0, eq));
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : trim(params[i].substr(eq + 1));
    const bool hasValue = eq != std::string_view::npos;
    if (iequals(name, "unicast") || iequals(name, "multicast")) {
      t.multicast = iequals(name, "multicast");
    } else if (iequals(name, "destination") || iequals(name, "source")) {
      // An address or host name: a quote or comma would change how the header splits.
      if (value.find_first_of("\",") != std::string_view::npos) return malformed(name);
      (iequals(name, "source") ? t.source : t.destination) = std::string(value);
    } else if (iequals(name, "interleaved") || iequals(name, "client_port") || iequals(name, "server_port") ||
               iequals(name, "port")) {
      const auto range = hasValue ? parseRange(value) : std::nullopt;
      if (!range) return malformed(name);
      if (iequals(name, "interleaved")) {
        if (range->first > 255 || range->last > 255) return malformed(name);
        t.interleaved = range;
      } else if (iequals(name, "client_port")) {
        t.clientPort = range;
      } else if (iequals(name, "server_port")) {
        t.serverPort = range;
      } else {
        t.port = range;
      }
    } else if (iequals(name, "ttl")) {
      t.ttl = parseUnsigned<std::uint8_t>(value);
      if (!t.ttl) return malformed(name);
    } else if (iequals(name, "ssrc")) {
      // 8HEX in RFC 2326; some servers drop leading zeros.
      t.ssrc = value.size() <= 8 ? parseUnsigned<std::uint32_t>(value, 16) : std::nullopt;
      if (!t.ssrc) return malformed(name);
    } else if (iequals(name, "mode")) {
      const auto modes = splitList(unquote(value));
      const std::string_view mode = modes.empty() ? std::string_view() : modes.front();
      if (iequals(mode, "play")) {
        t.mode = Mode::Play;
      } else if (iequals(mode, "record") || iequals(mode, "receive")) {
        t.mode = Mode::Record;
      } else {
        return malformed(name);
      }
    }
  }
  return t;
}

base::Result<std::vector<Transport>> Transport::parseList(std::string_view header) {
  std::vector<Transport> out;
  for (const auto spec : splitList(header)) {
    auto t = parse(spec);
    if (t) {
      out.push_back(std::move(t).value());
    } else if (t.error().code != base::ErrorCode::Unsupported) {
      return t.error();
    }
  }
  return out;
}

std::string Transport::toString() const {
  std::string s = lower == Lower::Tcp ? "RTP/AVP/TCP" : "RTP/AVP";
  s += multicast ? ";multicast" : ";unicast";
  if (destination) s += ";destination=" + *destination;
  if (source) s += ";source=" + *source;
  if (interleaved) s += ";interleaved=" + formatRange(*interleaved);
  if (ttl) s += ";ttl=" + std::to_string(*ttl);
  if (port) s += ";port=" + formatRange(*port);
  if (clientPort) s += ";client_port=" + formatRange(*clientPort);
  if (serverPort) s += ";server_port=" + formatRange(*serverPort);
  if (ssrc) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08X", *ssrc);
    s += ";ssrc=";
    s += hex;
  }
  if (mode) s += *mode == Mode::Record ? ";mode=record" : ";mode=play";
  return s;
}

}  // namespace ocellus::proto::rtsp
