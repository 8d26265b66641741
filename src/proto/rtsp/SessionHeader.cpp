#include "proto/rtsp/SessionHeader.h"

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {

base::Result<SessionHeader> SessionHeader::parse(std::string_view value) {
  const auto semi = value.find(';');
  SessionHeader h;
  const std::string_view id = trim(value.substr(0, semi));
  if (id.empty() || id.find_first_of(" \t\",") != std::string_view::npos) {
    return base::makeError(base::ErrorCode::Malformed, "Session: bad id");
  }
  h.id = std::string(id);
  if (semi == std::string_view::npos) return h;
  for (const auto param : splitList(value.substr(semi + 1), ';')) {
    const auto eq = param.find('=');
    if (!iequals(trim(param.substr(0, eq)), "timeout")) continue;
    h.timeout = eq == std::string_view::npos ? std::nullopt
                                             : parseUnsigned<std::uint32_t>(trim(param.substr(eq + 1)));
    if (!h.timeout) return base::makeError(base::ErrorCode::Malformed, "Session: bad timeout");
  }
  return h;
}

std::string SessionHeader::toString() const {
  return timeout ? id + ";timeout=" + std::to_string(*timeout) : id;
}

}  // namespace ocellus::proto::rtsp
