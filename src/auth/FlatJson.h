#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/Result.h"

namespace ocellus::auth {

// A JSON object whose members are scalars (RFC 8259): what a JWT header and our claim sets are.
// The parser takes untrusted text: bounded (kMaxTextLength, kMaxMembers), never throws, and
// strict — nested objects and arrays, fractions and exponents, duplicate names, lone UTF-16
// surrogates and trailing text are all refused — so two parsers cannot read one token two
// ways. Strings hold raw bytes (escapes decoded to UTF-8); serialize() then parse() gives the
// same members back.
class FlatJson {
 public:
  using Value = std::variant<std::nullptr_t, bool, std::int64_t, std::string>;

  static constexpr std::size_t kMaxTextLength = 4096;
  static constexpr std::size_t kMaxMembers = 32;

  // Malformed (with the offset) or TooLarge.
  static base::Result<FlatJson> parse(std::string_view text);

  // Appends a member; replaces the value if the name exists already.
  void set(std::string_view name, Value value);
  const Value* find(std::string_view name) const;
  std::optional<std::string_view> string(std::string_view name) const;
  std::optional<std::int64_t> integer(std::string_view name) const;
  const std::vector<std::pair<std::string, Value>>& members() const { return members_; }

  // Compact text, members in insertion order.
  std::string serialize() const;
  // `s` as a JSON string literal with quotes; control characters, '"' and '\' escaped.
  static std::string quote(std::string_view s);

  bool operator==(const FlatJson&) const = default;

 private:
  std::vector<std::pair<std::string, Value>> members_;
};

}  // namespace ocellus::auth
