#include "Rtsp.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ocellus::bench {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

// Each line of `text` (CRLF or LF), without its terminator.
template <typename F>
void forEachLine(std::string_view text, F&& f) {
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(line);
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
}

}  // namespace

std::optional<Url> parseUrl(std::string_view text) {
  constexpr std::string_view kScheme = "rtsp://";
  if (!startsWithNoCase(text, kScheme)) return std::nullopt;
  text.remove_prefix(kScheme.size());
  size_t slash = text.find('/');
  std::string_view hostPort = text.substr(0, slash);
  Url url;
  url.path = slash == std::string_view::npos ? "/" : std::string(text.substr(slash));
  size_t colon = hostPort.rfind(':');
  if (colon != std::string_view::npos) {
    unsigned port = 0;
    auto portText = hostPort.substr(colon + 1);
    auto [p, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc() || p != portText.data() + portText.size() || port == 0 || port > 65535)
      return std::nullopt;
    url.port = static_cast<uint16_t>(port);
    hostPort = hostPort.substr(0, colon);
  }
  if (hostPort.empty()) return std::nullopt;
  url.host = hostPort;
  return url;
}

std::string Response::header(const std::string& lowerName) const {
  auto it = headers.find(lowerName);
  return it == headers.end() ? std::string() : it->second;
}

long parseResponse(std::string_view buf, Response& out) {
  size_t end = buf.find("\r\n\r\n");
  if (end == std::string_view::npos) return buf.size() > kMaxMessageBytes ? -1 : 0;
  out = Response{};
  std::string_view head = buf.substr(0, end);
  bool first = true;
  bool bad = false;
  forEachLine(head, [&](std::string_view line) {
    if (first) {
      first = false;
      // RFC 2326 §7.1: Status-Line = RTSP-Version SP Status-Code SP Reason-Phrase
      if (line.substr(0, 5) == "RTSP/") {
        size_t sp = line.find(' ');
        if (sp == std::string_view::npos || line.size() < sp + 4) {
          bad = true;
          return;
        }
        auto code = line.substr(sp + 1, 3);
        auto [p, ec] = std::from_chars(code.data(), code.data() + 3, out.status);
        bad = ec != std::errc() || p != code.data() + 3;
      }
      return;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    out.headers[lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
  });
  if (bad) return -1;
  size_t length = 0;
  if (auto cl = out.header("content-length"); !cl.empty()) {
    auto [p, ec] = std::from_chars(cl.data(), cl.data() + cl.size(), length);
    if (ec != std::errc() || length > kMaxMessageBytes) return -1;
  }
  size_t total = end + 4 + length;
  if (buf.size() < total) return total > kMaxMessageBytes ? -1 : 0;
  out.body = std::string(buf.substr(end + 4, length));
  return static_cast<long>(total);
}

std::string resolveControl(const std::string& base, std::string_view control) {
  control = trim(control);
  if (control.empty() || control == "*") return base;
  if (control.find("://") != std::string_view::npos) return std::string(control);
  if (control.front() == '/') {
    size_t hostStart = base.find("://");
    size_t pathStart = hostStart == std::string::npos ? std::string::npos : base.find('/', hostStart + 3);
    return base.substr(0, pathStart) + std::string(control);
  }
  return base + (base.empty() || base.back() == '/' ? "" : "/") + std::string(control);
}

Description parseSdp(std::string_view sdp, const std::string& base) {
  Description d;
  std::string sessionControl;
  bool inMedia = false;
  forEachLine(sdp, [&](std::string_view line) {
    if (line.substr(0, 2) == "m=") {
      inMedia = true;
      Track t;
      auto rest = line.substr(2);
      t.media = std::string(rest.substr(0, rest.find(' ')));
      d.tracks.push_back(std::move(t));
    } else if (line.substr(0, 10) == "a=control:") {
      (inMedia ? d.tracks.back().url : sessionControl) = std::string(trim(line.substr(10)));
    } else if (inMedia && line.substr(0, 9) == "a=rtpmap:") {
      // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]  (RFC 4566 §6)
      auto value = line.substr(9);
      size_t slash = value.find('/');
      if (slash != std::string_view::npos) {
        auto rate = value.substr(slash + 1);
        rate = rate.substr(0, rate.find('/'));
        uint32_t clock = 0;
        auto [p, ec] = std::from_chars(rate.data(), rate.data() + rate.size(), clock);
        if (ec == std::errc() && clock > 0) d.tracks.back().clockRate = clock;
      }
    }
  });
  d.aggregateUrl = resolveControl(base, sessionControl);
  // A media-level relative control is relative to the base URL, not to the session control.
  for (auto& t : d.tracks) t.url = resolveControl(base, t.url);
  return d;
}

int interleavedChannel(std::string_view transport) {
  size_t at = lower(transport).find("interleaved=");
  if (at == std::string_view::npos) return -1;
  auto v = transport.substr(at + 12);
  int ch = -1;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), ch);
  return ec == std::errc() && ch >= 0 && ch < 256 ? ch : -1;
}

std::pair<std::string, int> parseSession(std::string_view session) {
  size_t semi = session.find(';');
  std::string id(trim(session.substr(0, semi)));
  int timeout = 0;
  if (semi != std::string_view::npos) {
    std::string params = lower(session.substr(semi));
    size_t at = params.find("timeout=");
    if (at != std::string::npos) {
      std::string_view v(params);
      v.remove_prefix(at + 8);
      std::from_chars(v.data(), v.data() + v.size(), timeout);
    }
  }
  return {id, timeout};
}

}  // namespace ocellus::bench
