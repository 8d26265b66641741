#include "auth/FlatJson.h"

#include <limits>

namespace ocellus::auth {
namespace {

// Recursive descent over one flat object; every read checks the position against the end.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  base::Result<FlatJson> object() {
    FlatJson out;
    skipSpace();
    if (!consume('{')) return fail("expected '{'");
    skipSpace();
    if (consume('}')) return finish(std::move(out));
    for (;;) {
      skipSpace();
      auto name = string();
      if (!name) return fail("expected a member name");
      if (out.find(*name) != nullptr) return fail("duplicate member \"" + *name + "\"");
      if (out.members().size() >= FlatJson::kMaxMembers) {
        return base::makeError(base::ErrorCode::TooLarge,
                               "more than " + std::to_string(FlatJson::kMaxMembers) + " members");
      }
      skipSpace();
      if (!consume(':')) return fail("expected ':'");
      skipSpace();
      auto v = value();
      if (!v) return fail("expected a scalar value");
      out.set(*name, std::move(*v));
      skipSpace();
      if (consume('}')) return finish(std::move(out));
      if (!consume(',')) return fail("expected ',' or '}'");
    }
  }

 private:
  base::Result<FlatJson> finish(FlatJson out) {
    skipSpace();
    if (pos_ != text_.size()) return fail("text after the object");
    return out;
  }

  base::Error fail(const std::string& what) const {
    return base::makeError(base::ErrorCode::Malformed, what + " at offset " + std::to_string(pos_));
  }

  bool consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool consumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  void skipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  std::optional<FlatJson::Value> value() {
    if (pos_ >= text_.size()) return std::nullopt;
    const char c = text_[pos_];
    if (c == '"') {
      auto s = string();
      if (!s) return std::nullopt;
      return FlatJson::Value(std::move(*s));
    }
    if (consumeWord("true")) return FlatJson::Value(true);
    if (consumeWord("false")) return FlatJson::Value(false);
    if (consumeWord("null")) return FlatJson::Value(nullptr);
    if (c == '-' || (c >= '0' && c <= '9')) {
      auto n = integer();
      if (!n) return std::nullopt;
      return FlatJson::Value(*n);
    }
    return std::nullopt;  // objects, arrays and anything else
  }

  // -?(0|[1-9][0-9]*) within int64; fractions and exponents are refused.
  std::optional<std::int64_t> integer() {
    const bool negative = consume('-');
    if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') return std::nullopt;
    if (text_[pos_] == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9') {
      return std::nullopt;  // leading zero
    }
    // Accumulate as a negative number so INT64_MIN fits.
    std::int64_t v = 0;
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const int d = text_[pos_] - '0';
      if (v < (kMin + d) / 10) return std::nullopt;  // overflow
      v = v * 10 - d;
      ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) {
      return std::nullopt;
    }
    if (!negative) {
      if (v == kMin) return std::nullopt;
      v = -v;
    }
    return v;
  }

  std::optional<unsigned> hex4() {
    if (text_.size() - pos_ < 4) return std::nullopt;
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return std::nullopt;
      }
    }
    return v;
  }

  static void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  // RFC 8259 §7.
  std::optional<std::string> string() {
    if (!consume('"')) return std::nullopt;
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) return std::nullopt;
      switch (text_[pos_++]) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          auto cp = hex4();
          if (!cp) return std::nullopt;
          std::uint32_t code = *cp;
          if (code >= 0xdc00 && code <= 0xdfff) return std::nullopt;  // lone low surrogate
          if (code >= 0xd800 && code <= 0xdbff) {
            if (!consume('\\') || !consume('u')) return std::nullopt;
            auto low = hex4();
            if (!low || *low < 0xdc00 || *low > 0xdfff) return std::nullopt;
            code = 0x10000 + ((code - 0xd800) << 10) + (*low - 0xdc00);
          }
          appendUtf8(out, code);
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;  // unterminated
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

base::Result<FlatJson> FlatJson::parse(std::string_view text) {
  if (text.size() > kMaxTextLength) {
    return base::makeError(base::ErrorCode::TooLarge, "JSON longer than " + std::to_string(kMaxTextLength));
  }
  return Parser(text).object();
}

void FlatJson::set(std::string_view name, Value value) {
  for (auto& [n, v] : members_) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  members_.emplace_back(std::string(name), std::move(value));
}

const FlatJson::Value* FlatJson::find(std::string_view name) const {
  for (const auto& [n, v] : members_) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::optional<std::string_view> FlatJson::string(std::string_view name) const {
  const Value* v = find(name);
  if (v == nullptr || !std::holds_alternative<std::string>(*v)) return std::nullopt;
  return std::string_view(std::get<std::string>(*v));
}

std::optional<std::int64_t> FlatJson::integer(std::string_view name) const {
  const Value* v = find(name);
  if (v == nullptr || !std::holds_alternative<std::int64_t>(*v)) return std::nullopt;
  return std::get<std::int64_t>(*v);
}

std::string FlatJson::quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string FlatJson::serialize() const {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : members_) {
    if (!first) out += ',';
    first = false;
    out += quote(name);
    out += ':';
    if (std::holds_alternative<std::nullptr_t>(value)) {
      out += "null";
    } else if (const bool* b = std::get_if<bool>(&value)) {
      out += *b ? "true" : "false";
    } else if (const std::int64_t* n = std::get_if<std::int64_t>(&value)) {
      out += std::to_string(*n);
    } else {
      out += quote(std::get<std::string>(value));
    }
  }
  out += '}';
  return out;
}

}  // namespace ocellus::auth
