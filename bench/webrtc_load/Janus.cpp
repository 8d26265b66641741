#include "Janus.h"

#include <charconv>

namespace ocellus::bench::janus {
namespace {

std::string escape(std::string_view s) {
  std::string r;
  r.reserve(s.size() + 64);
  for (char ch : s) {
    switch (ch) {
      case '"':
        r += "\\\"";
        break;
      case '\\':
        r += "\\\\";
        break;
      case '\r':
        r += "\\r";
        break;
      case '\n':
        r += "\\n";
        break;
      case '\t':
        r += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(ch) >= 0x20) r += ch;
    }
  }
  return r;
}

std::string message(uint64_t transaction, std::string_view rest) {
  return "{\"janus\":" + std::string(rest) + ",\"transaction\":\"" + std::to_string(transaction) + "\"}";
}

// Where the value of the first `"key":` member starts (after optional blanks), or npos.
size_t valueOf(std::string_view json, std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\"";
  for (size_t at = json.find(quoted); at != std::string_view::npos; at = json.find(quoted, at + 1)) {
    if (at > 0 && json[at - 1] == '\\') continue;  // inside a string
    size_t p = at + quoted.size();
    while (p < json.size() && (json[p] == ' ' || json[p] == '\n' || json[p] == '\t' || json[p] == '\r')) ++p;
    if (p >= json.size() || json[p] != ':') continue;
    ++p;
    while (p < json.size() && (json[p] == ' ' || json[p] == '\n' || json[p] == '\t' || json[p] == '\r')) ++p;
    return p;
  }
  return std::string_view::npos;
}

}  // namespace

std::string createBody(uint64_t transaction) {
  return message(transaction, "\"create\"");
}

std::string attachBody(uint64_t transaction) {
  return message(transaction, "\"attach\",\"plugin\":\"janus.plugin.streaming\"");
}

std::string watchBody(uint64_t transaction, uint64_t mountpoint) {
  return message(transaction,
                 "\"message\",\"body\":{\"request\":\"watch\",\"id\":" + std::to_string(mountpoint) + "}");
}

std::string startBody(uint64_t transaction, std::string_view answerSdp) {
  return message(transaction,
                 "\"message\",\"body\":{\"request\":\"start\"},\"jsep\":{\"type\":\"answer\",\"sdp\":\"" +
                     escape(answerSdp) + "\"}");
}

std::string destroyBody(uint64_t transaction) {
  return message(transaction, "\"destroy\"");
}

std::optional<std::string> stringField(std::string_view json, std::string_view key) {
  size_t p = valueOf(json, key);
  if (p == std::string_view::npos || json[p] != '"') return std::nullopt;
  std::string out;
  for (++p; p < json.size(); ++p) {
    char ch = json[p];
    if (ch == '"') return out;
    if (ch != '\\') {
      out += ch;
      continue;
    }
    if (++p >= json.size()) break;
    switch (json[p]) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {  // SDP is ASCII: anything beyond it is replaced
        unsigned code = 0;
        if (p + 4 >= json.size() ||
            std::from_chars(json.data() + p + 1, json.data() + p + 5, code, 16).ec != std::errc())
          return std::nullopt;
        out += code < 0x80 ? static_cast<char>(code) : '?';
        p += 4;
        break;
      }
      default:
        out += json[p];  // " \ /
    }
  }
  return std::nullopt;  // unterminated
}

std::optional<uint64_t> numberField(std::string_view json, std::string_view key) {
  size_t p = valueOf(json, key);
  if (p == std::string_view::npos) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(json.data() + p, json.data() + json.size(), v);
  if (ec != std::errc() || end == json.data() + p) return std::nullopt;
  return v;
}

}  // namespace ocellus::bench::janus
