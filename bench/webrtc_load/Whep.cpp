#include "Whep.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>

#include "proto/webrtc/IceCandidate.h"

namespace ocellus::bench {
namespace {

namespace pw = proto::webrtc;

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

template <typename T>
bool parseNumber(std::string_view text, T& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

}  // namespace

std::optional<HttpUrl> parseHttpUrl(std::string_view text) {
  constexpr std::string_view kScheme = "http://";
  if (text.size() < kScheme.size() || lower(text.substr(0, kScheme.size())) != kScheme) return std::nullopt;
  text.remove_prefix(kScheme.size());
  size_t slash = text.find('/');
  std::string_view hostPort = text.substr(0, slash);
  HttpUrl url;
  url.path = slash == std::string_view::npos ? "/" : std::string(text.substr(slash));
  size_t colon = hostPort.rfind(':');
  if (colon != std::string_view::npos) {
    unsigned port = 0;
    if (!parseNumber(hostPort.substr(colon + 1), port) || port == 0 || port > 65535) return std::nullopt;
    url.port = static_cast<uint16_t>(port);
    hostPort = hostPort.substr(0, colon);
  }
  if (hostPort.empty()) return std::nullopt;
  url.host = hostPort;
  return url;
}

std::string HttpResponse::header(std::string_view lowerName) const {
  for (const auto& [name, value] : headers)
    if (name == lowerName) return value;
  return {};
}

long parseHttpResponse(std::string_view buf, HttpResponse& out, bool eof) {
  size_t end = buf.find("\r\n\r\n");
  if (end == std::string_view::npos) return buf.size() > kMaxHttpResponseBytes ? -1 : 0;
  out = HttpResponse{};
  bool first = true;
  bool bad = false;
  forEachLine(buf.substr(0, end), [&](std::string_view line) {
    if (first) {
      // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
      first = false;
      if (line.substr(0, 5) != "HTTP/" || line.size() < 12 || !parseNumber(line.substr(9, 3), out.status))
        bad = true;
      return;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    out.headers.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  });
  if (bad) return -1;
  size_t bodyStart = end + 4;
  if (lower(out.header("transfer-encoding")).find("chunked") != std::string::npos) {
    // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF, ended by a zero-size
    // chunk, optional trailer fields and a CRLF.
    size_t p = bodyStart;
    for (;;) {
      size_t eol = buf.find("\r\n", p);
      if (eol == std::string_view::npos) return buf.size() > kMaxHttpResponseBytes ? -1 : 0;
      std::string_view sizeText = buf.substr(p, eol - p);
      sizeText = sizeText.substr(0, sizeText.find(';'));
      size_t size = 0;
      auto [q, ec] = std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), size, 16);
      if (ec != std::errc() || q == sizeText.data() || size > kMaxHttpResponseBytes) return -1;
      p = eol + 2;
      if (size == 0) {
        size_t trailerEnd = buf.find("\r\n\r\n", p - 2);
        if (trailerEnd == std::string_view::npos) return eof ? -1 : 0;
        return static_cast<long>(trailerEnd + 4);
      }
      if (buf.size() < p + size + 2) return eof || buf.size() > 2 * kMaxHttpResponseBytes ? -1 : 0;
      out.body.append(buf.substr(p, size));
      if (out.body.size() > kMaxHttpResponseBytes) return -1;
      p += size + 2;
    }
  }
  std::string length = out.header("content-length");
  size_t bodySize = 0;
  if (!length.empty()) {
    if (!parseNumber(std::string_view(length), bodySize) || bodySize > kMaxHttpResponseBytes) return -1;
  } else if (out.status == 204 || out.status == 304 || out.status / 100 == 1) {
    bodySize = 0;
  } else {
    if (!eof) return buf.size() > kMaxHttpResponseBytes ? -1 : 0;
    bodySize = buf.size() - bodyStart;
  }
  if (buf.size() < bodyStart + bodySize) return eof ? -1 : 0;
  out.body.assign(buf.substr(bodyStart, bodySize));
  return static_cast<long>(bodyStart + bodySize);
}

std::string httpRequest(std::string_view method, const HttpUrl& server, std::string_view path,
                        std::string_view contentType, std::string_view body, std::string_view extraHeaders) {
  std::string r;
  r.reserve(256 + body.size());
  r.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ").append(server.host);
  r.append(":").append(std::to_string(server.port)).append("\r\nUser-Agent: ocellus-webrtc-load\r\n");
  if (!contentType.empty()) r.append("Content-Type: ").append(contentType).append("\r\n");
  if (!body.empty() || method == "POST")
    r.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  r.append(extraHeaders).append("Connection: close\r\n\r\n").append(body);
  return r;
}

std::string whepOffer(const pw::IceCredentials& ice, std::string_view fingerprint, uint64_t sessionId) {
  // RFC 8829 §5.2.1 (the offer a browser makes for one recvonly video transceiver, trimmed to
  // what a viewer needs); RFC 8843 BUNDLE, RFC 8035 rtcp-mux-only is not required.
  std::string s;
  s.reserve(1024);
  s += "v=0\r\n";
  s += "o=- " + std::to_string(sessionId) + " 2 IN IP4 127.0.0.1\r\n";
  s += "s=-\r\nt=0 0\r\n";
  s += "a=group:BUNDLE 0\r\n";
  s += "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n";
  s += "c=IN IP4 0.0.0.0\r\n";
  s += "a=rtcp:9 IN IP4 0.0.0.0\r\n";
  s += "a=ice-ufrag:" + ice.ufrag + "\r\n";
  s += "a=ice-pwd:" + ice.pwd + "\r\n";
  s += "a=fingerprint:" + std::string(fingerprint) + "\r\n";
  s += "a=setup:actpass\r\n";
  s += "a=mid:0\r\n";
  s += "a=recvonly\r\n";
  s += "a=rtcp-mux\r\n";
  s += "a=rtcp-rsize\r\n";
  s += "a=rtpmap:96 H264/90000\r\n";
  s += "a=rtcp-fb:96 nack\r\n";
  s += "a=rtcp-fb:96 nack pli\r\n";
  s += "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
  s += "a=rtpmap:97 rtx/90000\r\n";
  s += "a=fmtp:97 apt=96\r\n";
  return s;
}

base::Result<RemoteDescription> parseRemoteDescription(std::string_view sdp, bool isOffer) {
  RemoteDescription d;
  std::string fingerprint, setup;
  bool inVideo = false, videoSeen = false;
  forEachLine(sdp, [&](std::string_view line) {
    if (line.substr(0, 2) == "m=") {
      inVideo = !videoSeen && line.substr(2, 6) == "video ";
      videoSeen = videoSeen || inVideo;
      return;
    }
    if (line.substr(0, 2) != "a=") return;
    line.remove_prefix(2);
    size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value =
        colon == std::string_view::npos ? std::string_view() : trim(line.substr(colon + 1));
    // Session- or media-level: the first occurrence wins (one BUNDLEd transport).
    if (name == "ice-ufrag" && d.iceUfrag.empty()) {
      d.iceUfrag = value;
    } else if (name == "ice-pwd" && d.icePwd.empty()) {
      d.icePwd = value;
    } else if (name == "fingerprint" && fingerprint.empty()) {
      fingerprint = value;
    } else if (name == "setup" && setup.empty()) {
      setup = value;
    } else if (name == "mid" && inVideo && d.mid.empty()) {
      d.mid = value;
    } else if (name == "rtpmap" && inVideo && d.h264PayloadType < 0) {
      // a=rtpmap:<payload type> <encoding name>/<clock rate> (RFC 8866 §6.6)
      size_t space = value.find(' ');
      int pt = -1;
      if (space != std::string_view::npos && parseNumber(value.substr(0, space), pt) &&
          lower(value.substr(space + 1)) == "h264/90000")
        d.h264PayloadType = pt;
    } else if (name == "candidate" && d.port == 0) {
      auto c = pw::IceCandidate::parse(value);
      in_addr probe{};
      if (c && c->transport == pw::IceCandidate::Transport::Udp && c->component == 1 &&
          inet_pton(AF_INET, c->address.c_str(), &probe) == 1) {
        d.host = c->address;
        d.port = c->port;
      }
    }
  });
  auto malformed = [](std::string what) {
    return base::makeError(base::ErrorCode::Malformed, std::move(what));
  };
  if (d.iceUfrag.empty() || d.icePwd.empty()) return malformed("no ice-ufrag/ice-pwd");
  if (fingerprint.empty()) return malformed("no fingerprint");
  auto fp = pw::CertificateFingerprint::parse(fingerprint);
  if (!fp) return malformed("fingerprint: " + fp.error().message);
  d.fingerprint = *fp;
  // RFC 8842 §5.1: an answer of passive to our actpass, or an offer we can answer active.
  bool weAreClient = isOffer ? (setup == "actpass" || setup == "passive") : setup == "passive";
  if (!weAreClient) return malformed("setup:" + (setup.empty() ? std::string("(none)") : setup));
  if (d.port == 0) return malformed("no UDP IPv4 candidate");
  if (isOffer && d.h264PayloadType < 0) return malformed("no H.264 video section");
  return d;
}

std::string answerSdp(const RemoteDescription& offer, const pw::IceCredentials& ice,
                      std::string_view fingerprint, std::string_view candidateHost, uint16_t candidatePort,
                      uint64_t sessionId) {
  // RFC 8829 §5.3.1: one recvonly section answering the offered video section, bundled on its own.
  const std::string pt = std::to_string(offer.h264PayloadType);
  std::string s;
  s.reserve(1024);
  s += "v=0\r\n";
  s += "o=- " + std::to_string(sessionId) + " 2 IN IP4 127.0.0.1\r\n";
  s += "s=-\r\nt=0 0\r\n";
  if (!offer.mid.empty()) s += "a=group:BUNDLE " + offer.mid + "\r\n";
  s += "m=video 9 UDP/TLS/RTP/SAVPF " + pt + "\r\n";
  s += "c=IN IP4 0.0.0.0\r\n";
  s += "a=rtcp:9 IN IP4 0.0.0.0\r\n";
  s += "a=ice-ufrag:" + ice.ufrag + "\r\n";
  s += "a=ice-pwd:" + ice.pwd + "\r\n";
  s += "a=fingerprint:" + std::string(fingerprint) + "\r\n";
  s += "a=setup:active\r\n";
  if (!offer.mid.empty()) s += "a=mid:" + offer.mid + "\r\n";
  s += "a=recvonly\r\n";
  s += "a=rtcp-mux\r\n";
  s += "a=rtpmap:" + pt + " H264/90000\r\n";
  s += "a=rtcp-fb:" + pt + " nack\r\n";
  s += "a=rtcp-fb:" + pt + " nack pli\r\n";
  s += "a=fmtp:" + pt + " level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
  s += "a=candidate:1 1 udp " +
       std::to_string(pw::IceCandidate::computePriority(pw::IceCandidate::kHostTypePreference, 65535, 1)) +
       " " + std::string(candidateHost) + " " + std::to_string(candidatePort) + " typ host\r\n";
  s += "a=end-of-candidates\r\n";
  return s;
}

}  // namespace ocellus::bench
