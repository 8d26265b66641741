#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::proto::rtsp {

// An rtsp:// or rtsps:// URL: "rtsp://[user[:password]@]host[:port][/path][?query]"
// (RFC 2326 §3.2, RFC 3986 §3). Immutable; parse() is the only way to make one.
class Url {
 public:
  static constexpr std::uint16_t kDefaultPort = 554;     // RFC 2326 §3.2
  static constexpr std::uint16_t kDefaultTlsPort = 322;  // rtsps, RFC 7826 §19.2

  // Credentials are percent-decoded; an IPv6 host is written in brackets ("[::1]"). A scheme
  // other than rtsp/rtsps, an empty host, a bad port or a bad percent escape is Malformed.
  static base::Result<Url> parse(std::string_view text);

  const std::string& scheme() const { return scheme_; }      // "rtsp" or "rtsps", lower case
  const std::string& user() const { return user_; }          // empty when absent
  const std::string& password() const { return password_; }  // empty when absent
  const std::string& host() const { return host_; }          // without IPv6 brackets
  std::optional<std::uint16_t> port() const { return port_; }
  std::uint16_t portOrDefault() const;
  const std::string& path() const { return path_; }    // without the leading '/', not decoded
  const std::string& query() const { return query_; }  // without '?'
  // The URL as given with "user:password@" removed: what goes on the wire and in logs.
  const std::string& withoutCredentials() const { return withoutCredentials_; }

 private:
  Url() = default;

  std::string scheme_;
  std::string user_;
  std::string password_;
  std::string host_;
  std::optional<std::uint16_t> port_;
  std::string path_;
  std::string query_;
  std::string withoutCredentials_;
};

// The URL of a track: its SDP a=control resolved against the base URL (Content-Base, else
// Content-Location, else the DESCRIBE URL; RFC 2326 C.1.1). "*" or an empty control is the
// base itself, an absolute URL ("rtsp://...") stands as is, and a relative one is appended
// after exactly one '/', query included, as ffmpeg and live555 do and cameras expect.
std::string resolveControl(std::string_view base, std::string_view control);

}  // namespace ocellus::proto::rtsp
