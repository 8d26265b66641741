#include "format/sdp/SessionDescription.h"

#include <algorithm>

#include "format/sdp/Text.h"

namespace ocellus::format::sdp {
namespace {

base::Error malformed(std::size_t lineNumber, std::string_view what) {
  return base::makeError(base::ErrorCode::Malformed,
                         "sdp line " + std::to_string(lineNumber) + ": " + std::string(what));
}

std::vector<std::string_view> splitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto start = s.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    const auto end = s.find(' ');
    out.push_back(s.substr(0, end));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  }
  return out;
}

// RFC 4566 §5 order of the lines kept uninterpreted: i u e p (before c=), b (before t=),
// t r z k and unknown types (after t=). Repeated t= and their r= share a rank to stay paired.
constexpr std::string_view kOrder = "iuepbtzk";
constexpr int kRankB = 4;
constexpr int kRankLast = static_cast<int>(kOrder.size());

int rank(char type) {
  const auto pos = kOrder.find(type == 'r' ? 't' : type);
  return pos == std::string_view::npos ? kRankLast : static_cast<int>(pos);
}

std::optional<Connection> parseConnection(std::string_view value) {
  const auto f = splitSpaces(value);
  if (f.size() != 3) return std::nullopt;
  return Connection{std::string(f[0]), std::string(f[1]), std::string(f[2])};
}

Attribute parseAttribute(std::string_view value) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos) return {std::string(value), {}};
  return {std::string(value.substr(0, colon)), std::string(value.substr(colon + 1))};
}

std::optional<MediaDescription> parseMediaLine(std::string_view value) {
  const auto f = splitSpaces(value);
  if (f.size() < 4) return std::nullopt;
  MediaDescription m;
  m.media = std::string(f[0]);
  const auto slash = f[1].find('/');
  const auto port = parseNumber<std::uint16_t>(f[1].substr(0, slash));
  if (!port) return std::nullopt;
  m.port = *port;
  if (slash != std::string_view::npos) {
    const auto count = parseNumber<std::uint16_t>(f[1].substr(slash + 1));
    if (!count || *count == 0) return std::nullopt;
    m.portCount = *count;
  }
  m.proto = std::string(f[2]);
  for (std::size_t i = 3; i < f.size(); ++i) m.formats.emplace_back(f[i]);
  return m;
}

void appendLine(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

void appendLines(std::string& out, const std::vector<Line>& lines, int minRank, int maxRank) {
  for (const auto& l : lines) {
    if (rank(l.type) >= minRank && rank(l.type) <= maxRank) appendLine(out, l.type, l.value);
  }
}

void appendConnection(std::string& out, const std::optional<Connection>& c) {
  if (c) appendLine(out, 'c', c->netType + " " + c->addrType + " " + c->address);
}

void appendAttributes(std::string& out, const std::vector<Attribute>& attributes) {
  for (const auto& a : attributes) appendLine(out, 'a', a.value.empty() ? a.name : a.name + ":" + a.value);
}

}  // namespace

base::Result<SessionDescription> SessionDescription::parse(std::string_view text) {
  if (text.size() > kMaxSize) return base::makeError(base::ErrorCode::TooLarge, "sdp larger than 64 KiB");
  SessionDescription sd;
  MediaDescription* media = nullptr;
  bool seenVersion = false, seenOrigin = false, seenName = false, seenTiming = false;
  std::size_t lineNumber = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (++lineNumber > kMaxLines)
      return base::makeError(base::ErrorCode::TooLarge, "sdp has more than 1024 lines");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      return malformed(lineNumber, "expected <letter>=<value>");
    }
    const char type = line[0];
    const std::string_view value = line.substr(2);
    if (!seenVersion) {
      if (type != 'v' || value != "0") return malformed(lineNumber, "an SDP starts with v=0");
      seenVersion = true;
      continue;
    }
    const bool sessionOnly = type == 'v' || type == 'o' || type == 's' || type == 't';
    if (sessionOnly && media) return malformed(lineNumber, "session-level line inside a media section");
    auto& connection = media ? media->connection : sd.connection;
    auto& attributes = media ? media->attributes : sd.attributes;
    auto& lines = media ? media->lines : sd.lines;
    switch (type) {
      case 'v':
        return malformed(lineNumber, "second v= line");
      case 'o': {
        const auto f = splitSpaces(value);
        if (seenOrigin || f.size() != 6) return malformed(lineNumber, "bad o= line");
        sd.origin = {std::string(f[0]), std::string(f[1]), std::string(f[2]),
                     std::string(f[3]), std::string(f[4]), std::string(f[5])};
        seenOrigin = true;
        break;
      }
      case 's':
        if (seenName) return malformed(lineNumber, "second s= line");
        sd.sessionName = std::string(value);
        seenName = true;
        break;
      case 't':
        if (seenTiming) {
          lines.push_back({type, std::string(value)});
        } else {
          const auto f = splitSpaces(value);
          const auto start = f.size() == 2 ? parseNumber<std::uint64_t>(f[0]) : std::nullopt;
          const auto stop = f.size() == 2 ? parseNumber<std::uint64_t>(f[1]) : std::nullopt;
          if (!start || !stop) return malformed(lineNumber, "bad t= line");
          sd.timing = {*start, *stop};
          seenTiming = true;
        }
        break;
      case 'c': {
        auto c = parseConnection(value);
        if (!c || connection) return malformed(lineNumber, "bad or repeated c= line");
        connection = std::move(c);
        break;
      }
      case 'm': {
        auto m = parseMediaLine(value);
        if (!m) return malformed(lineNumber, "bad m= line");
        sd.media.push_back(std::move(*m));
        media = &sd.media.back();
        break;
      }
      case 'a': {
        auto a = parseAttribute(value);
        if (media && a.is("rtpmap") && !RtpMap::parse(a.value)) return malformed(lineNumber, "bad a=rtpmap");
        attributes.push_back(std::move(a));
        break;
      }
      default:
        lines.push_back({type, std::string(value)});
    }
  }
  if (!seenVersion) return base::makeError(base::ErrorCode::Malformed, "sdp: empty");
  const auto byRank = [](const Line& a, const Line& b) { return rank(a.type) < rank(b.type); };
  std::ranges::stable_sort(sd.lines, byRank);
  for (auto& m : sd.media) std::ranges::stable_sort(m.lines, byRank);
  return sd;
}

std::string SessionDescription::toString() const {
  std::string out;
  appendLine(out, 'v', "0");
  appendLine(out, 'o',
             origin.username + " " + origin.sessionId + " " + origin.sessionVersion + " " + origin.netType +
                 " " + origin.addrType + " " + origin.address);
  appendLine(out, 's', sessionName);
  appendLines(out, lines, 0, kRankB - 1);
  appendConnection(out, connection);
  appendLines(out, lines, kRankB, kRankB);
  appendLine(out, 't', std::to_string(timing.start) + " " + std::to_string(timing.stop));
  appendLines(out, lines, kRankB + 1, kRankLast);
  appendAttributes(out, attributes);
  for (const auto& m : media) {
    std::string mline = m.media + " " + std::to_string(m.port);
    if (m.portCount != 1) mline += "/" + std::to_string(m.portCount);
    mline += " " + m.proto;
    for (const auto& f : m.formats) mline += " " + f;
    appendLine(out, 'm', mline);
    appendLines(out, m.lines, 0, kRankB - 1);
    appendConnection(out, m.connection);
    appendLines(out, m.lines, kRankB, kRankLast);
    appendAttributes(out, m.attributes);
  }
  return out;
}

std::string_view SessionDescription::control() const {
  return attribute("control").value_or(std::string_view());
}

Direction SessionDescription::direction() const {
  return findDirection(attributes).value_or(Direction::SendRecv);
}

}  // namespace ocellus::format::sdp
