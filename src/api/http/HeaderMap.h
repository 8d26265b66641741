#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ocellus::api::http {

// HTTP header fields in arrival order, looked up case-insensitively (RFC 9110 §5.1). A name may
// repeat (Set-Cookie, or a client sending a field twice); get() returns the first.
class HeaderMap {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping any of the same name.
  void add(std::string name, std::string value);
  // Replaces every field of this name with one.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  void reserve(std::size_t fields) { fields_.reserve(fields); }

  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }

  bool empty() const { return fields_.empty(); }
  std::size_t size() const { return fields_.size(); }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

  static bool equalsIgnoreCase(std::string_view a, std::string_view b);

 private:
  std::vector<Field> fields_;
};

}  // namespace ocellus::api::http
