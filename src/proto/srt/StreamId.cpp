#include "proto/srt/StreamId.h"

#include <algorithm>

namespace ocellus::proto::srt {

namespace {

base::Error malformed(std::string what) {
  return base::makeError(base::ErrorCode::Malformed, "SRT stream id: " + std::move(what));
}

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// Splits "path?token=…&x=y" into the path and the token parameter.
base::Status takePath(std::string_view given, StreamId& out) {
  const auto question = given.find('?');
  out.path = std::string(given.substr(0, question));
  out.token.clear();
  if (out.path.empty()) return malformed("the path is empty");
  if (out.path.find(':') != std::string::npos) return malformed("the path \"" + out.path + "\" contains ':'");
  if (question == std::string_view::npos) return {};
  std::string_view query = given.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.substr(0, 6) == "token=") out.token = std::string(pair.substr(6));
  }
  return {};
}

// "#!::r=path,m=publish,u=user,s=secret,t=stream" (SRT Access Control guidelines).
base::Result<StreamId> parseKeyed(std::string_view text) {
  StreamId out;
  bool haveResource = false;
  bool haveMode = false;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view pair = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) return malformed("\"" + std::string(pair) + "\" is not key=value");
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value = pair.substr(eq + 1);
    if (key == "r") {
      if (auto status = takePath(value, out); !status) return status.error();
      haveResource = true;
    } else if (key == "m") {
      if (value == "publish") {
        out.action = StreamId::Action::Publish;
      } else if (value == "request") {
        out.action = StreamId::Action::Read;
      } else {
        return malformed("mode \"" + std::string(value) + "\" is not publish or request");
      }
      haveMode = true;
    } else if (key == "u") {
      out.user = std::string(value);
    } else if (key == "s") {
      out.password = std::string(value);
    } else if (key == "t") {
      if (value != "stream") return malformed("type \"" + std::string(value) + "\" is not stream");
    }
    // Other keys (h: host name) do not change what is served.
  }
  if (!haveResource) return malformed("no r= (resource) key");
  if (!haveMode) out.action = StreamId::Action::Read;
  return out;
}

}  // namespace

base::Result<StreamId> StreamId::parse(std::string_view text) {
  if (text.empty()) return malformed("empty; use publish:PATH or read:PATH");
  if (text.size() > kMaxLength) return malformed("longer than " + std::to_string(kMaxLength) + " bytes");
  if (!printable(text)) return malformed("contains spaces or control characters");
  if (text.substr(0, 4) == "#!::") return parseKeyed(text.substr(4));

  StreamId out;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return malformed("\"" + std::string(text) + "\" has no action; use publish:PATH or read:PATH");
  }
  const std::string_view action = text.substr(0, colon);
  if (action == "publish") {
    out.action = Action::Publish;
  } else if (action == "read") {
    out.action = Action::Read;
  } else {
    return malformed("action \"" + std::string(action) + "\" is not publish or read");
  }
  std::string_view rest = text.substr(colon + 1);
  const auto pathEnd = rest.find(':');
  if (auto status = takePath(rest.substr(0, pathEnd), out); !status) return status.error();
  if (pathEnd == std::string_view::npos) return out;
  rest = rest.substr(pathEnd + 1);
  const auto userEnd = rest.find(':');
  if (userEnd == std::string_view::npos)
    return malformed("a user without a password; use " + std::string(action) + ":PATH:USER:PASSWORD");
  out.user = std::string(rest.substr(0, userEnd));
  out.password = std::string(rest.substr(userEnd + 1));
  if (out.user.empty()) return malformed("the user is empty");
  return out;
}

}  // namespace ocellus::proto::srt
