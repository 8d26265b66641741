#include "proto/rtsp/AuthHeader.h"

#include <algorithm>
#include <cctype>

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {
namespace {

base::Error malformed(std::string_view what) {
  return base::makeError(base::ErrorCode::Malformed, "auth header: " + std::string(what));
}

bool isTokenChar(char c) {
  return c > 0x20 && c < 0x7f && std::string_view("()<>@,;:\\\"/[]?={}").find(c) == std::string_view::npos;
}

// RFC 7235 §2.1: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool isToken68Char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~+/").find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, isTokenChar);
}

// Characters that end a bare (unquoted) parameter value.
bool endsBareValue(char c) {
  return c == ',' || c == ' ' || c == '\t' || c == '"';
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return s_[i_]; }
  char get() { return s_[i_++]; }
  std::size_t position() const { return i_; }
  void seek(std::size_t i) { i_ = i; }
  void skipSpaces() {
    while (!done() && (peek() == ' ' || peek() == '\t')) ++i_;
  }
  template <typename Pred>
  std::string_view take(Pred pred) {
    const std::size_t start = i_;
    while (!done() && pred(peek())) ++i_;
    return s_.substr(start, i_ - start);
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

bool AuthHeader::is(std::string_view schemeName) const {
  return iequals(scheme, schemeName);
}

std::optional<std::string_view> AuthHeader::param(std::string_view name) const {
  for (const auto& p : params) {
    if (iequals(p.name, name)) return p.value;
  }
  return std::nullopt;
}

base::Result<std::vector<AuthHeader>> AuthHeader::parseList(std::string_view value) {
  std::vector<AuthHeader> out;
  Cursor c(value);
  std::size_t items = 0;
  while (true) {
    c.take([](char ch) { return ch == ' ' || ch == '\t' || ch == ','; });
    if (c.done()) break;
    if (++items > kMaxItems) return base::makeError(base::ErrorCode::TooLarge, "auth header: too many items");
    const std::string_view token = c.take(isTokenChar);
    if (token.empty()) return malformed("expected a token");
    const std::size_t afterToken = c.position();
    c.skipSpaces();

    if (!c.done() && c.peek() == '=') {
      // auth-param = token BWS "=" BWS ( token / quoted-string ), belonging to the last scheme.
      if (out.empty()) return malformed("parameter before any scheme");
      c.get();
      c.skipSpaces();
      AuthParam param{std::string(token), {}, false};
      if (!c.done() && c.peek() == '"') {
        // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 7230 §3.2.6)
        param.quoted = true;
        c.get();
        while (true) {
          if (c.done()) return malformed("unterminated quoted-string");
          char ch = c.get();
          if (ch == '"') break;
          if (ch == '\\') {
            if (c.done()) return malformed("unterminated quoted-string");
            ch = c.get();
          }
          param.value += ch;
        }
      } else {
        param.value = std::string(c.take([](char ch) { return !endsBareValue(ch); }));
        if (param.value.empty() || (!c.done() && c.peek() == '"')) return malformed("bad parameter value");
        // Servers write bare nonces with '/' or '='; such a value is re-written quoted.
        param.quoted = !isToken(param.value);
      }
      out.back().params.push_back(std::move(param));
      continue;
    }

    // A new scheme, possibly followed (after whitespace) by a token68 that ends the challenge.
    out.push_back({std::string(token), {}, {}});
    if (c.position() == afterToken) continue;
    const std::size_t start = c.position();
    c.take(isToken68Char);
    c.take([](char ch) { return ch == '='; });
    const std::size_t end = c.position();
    c.skipSpaces();
    if (end > start && (c.done() || c.peek() == ',')) {
      out.back().token68 = std::string(value.substr(start, end - start));
    } else {
      c.seek(start);
    }
  }
  return out;
}

base::Result<AuthHeader> AuthHeader::parse(std::string_view value) {
  auto list = parseList(value);
  if (!list) return list.error();
  if (list->size() != 1) return malformed("expected exactly one scheme");
  return std::move(list->front());
}

std::string AuthHeader::toString() const {
  std::string s = scheme;
  if (!token68.empty()) s += " " + token68;
  bool first = token68.empty();
  for (const auto& p : params) {
    s += first ? " " : ", ";
    first = false;
    s += p.name + "=";
    if (!p.quoted && isToken(p.value)) {
      s += p.value;
      continue;
    }
    s += '"';
    for (char ch : p.value) {
      if (ch == '"' || ch == '\\') s += '\\';
      s += ch;
    }
    s += '"';
  }
  return s;
}

}  // namespace ocellus::proto::rtsp
