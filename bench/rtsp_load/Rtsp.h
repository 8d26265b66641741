// The little RTSP 1.0 (RFC 2326) and SDP (RFC 4566) text handling a load client needs.
// Standalone on purpose: the load client must not share code with the server it measures.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::bench {

// Bounds for what we accept from a server.
constexpr size_t kMaxMessageBytes = 64 * 1024;

struct Url {
  std::string host;
  uint16_t port = 554;
  std::string path;  // starts with '/'
};
// rtsp://host[:port][/path]; no credentials.
std::optional<Url> parseUrl(std::string_view text);

struct Response {
  int status = 0;  // 0: the message was a request from the server (ignored by the client)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lowerName) const;
};
// A complete message at the start of `buf`: its length, with `out` filled in.
// 0: not complete yet. -1: malformed or larger than kMaxMessageBytes.
long parseResponse(std::string_view buf, Response& out);

struct Track {
  std::string media;  // "video", "audio", ...
  std::string url;    // resolved control URL for SETUP
  uint32_t clockRate = 90000;
};
struct Description {
  std::string aggregateUrl;  // for PLAY and GET_PARAMETER
  std::vector<Track> tracks;
};
// `base` is Content-Base, else Content-Location, else the DESCRIBE URL (RFC 2326 §C.1.1).
Description parseSdp(std::string_view sdp, const std::string& base);
// A control attribute against a base: "*" is the base itself, an absolute URL stands alone,
// "/x" is host-relative, anything else is appended after a '/' (what servers expect in
// practice, rather than RFC 3986 last-segment replacement).
std::string resolveControl(const std::string& base, std::string_view control);

// "interleaved=a-b" of a Transport header: the RTP channel a, or -1.
int interleavedChannel(std::string_view transport);
// "id;timeout=60" of a Session header: the id, and the timeout (seconds, 0 if absent).
std::pair<std::string, int> parseSession(std::string_view session);

}  // namespace ocellus::bench
