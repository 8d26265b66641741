#include "proto/rtsp/Url.h"

#include <algorithm>
#include <cctype>

#include "base/Text.h"
#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {
namespace {

base::Error malformed(std::string_view what) {
  return base::makeError(base::ErrorCode::Malformed, "URL: " + std::string(what));
}

// RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://".
std::size_t schemeLength(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return 0;
  std::size_t i = 1;
  while (i < s.size() &&
         (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
    ++i;
  return s.substr(i).starts_with("://") ? i : 0;
}

}  // namespace

base::Result<Url> Url::parse(std::string_view text) {
  const std::size_t schemeLen = schemeLength(text);
  Url url;
  url.scheme_ = std::string(text.substr(0, schemeLen));
  std::ranges::transform(url.scheme_, url.scheme_.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (url.scheme_ != "rtsp" && url.scheme_ != "rtsps") return malformed("not an rtsp:// or rtsps:// URL");
  const std::string_view afterScheme = text.substr(schemeLen + 3);
  const auto authorityEnd = afterScheme.find_first_of("/?");
  std::string_view authority = afterScheme.substr(0, authorityEnd);
  std::string_view rest =
      authorityEnd == std::string_view::npos ? std::string_view() : afterScheme.substr(authorityEnd);

  // The last '@' ends the userinfo: passwords with an unescaped '@' are common in camera URLs.
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    auto user = base::percentDecode(userinfo.substr(0, colon));
    auto password =
        base::percentDecode(colon == std::string_view::npos ? std::string_view() : userinfo.substr(colon + 1));
    if (!user || !password) return malformed("bad percent escape in credentials");
    url.user_ = std::move(*user);
    url.password_ = std::move(*password);
    authority.remove_prefix(at + 1);
  }
  url.withoutCredentials_ =
      std::string(text.substr(0, schemeLen + 3)) + std::string(authority) + std::string(rest);

  std::string_view portText;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return malformed("bad IPv6 host");
    url.host_ = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return malformed("junk after IPv6 host");
      portText = after.substr(1);
      if (portText.empty()) return malformed("empty port");
    }
  } else {
    const auto colon = authority.find(':');
    url.host_ = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      portText = authority.substr(colon + 1);
      if (portText.empty()) return malformed("empty port");
    }
  }
  if (url.host_.empty()) return malformed("empty host");
  if (!portText.empty()) {
    url.port_ = parseUnsigned<std::uint16_t>(portText);
    if (!url.port_ || *url.port_ == 0) return malformed("bad port");
  }

  const auto question = rest.find('?');
  std::string_view path = rest.substr(0, question);
  if (path.starts_with('/')) path.remove_prefix(1);
  url.path_ = std::string(path);
  if (question != std::string_view::npos) url.query_ = std::string(rest.substr(question + 1));
  return url;
}

std::uint16_t Url::portOrDefault() const {
  return port_.value_or(scheme_ == "rtsps" ? kDefaultTlsPort : kDefaultPort);
}

std::string resolveControl(std::string_view base, std::string_view control) {
  if (control.empty() || control == "*") return std::string(base);
  if (schemeLength(control) > 0) return std::string(control);
  std::string url(base);
  if (!url.ends_with('/')) url += '/';
  if (control.starts_with('/')) control.remove_prefix(1);
  return url + std::string(control);
}

}  // namespace ocellus::proto::rtsp
