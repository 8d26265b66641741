#include "api/http/HeaderMap.h"

#include <algorithm>

namespace ocellus::api::http {

namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool HeaderMap::equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

void HeaderMap::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HeaderMap::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void HeaderMap::remove(std::string_view name) {
  std::erase_if(fields_, [name](const Field& f) { return equalsIgnoreCase(f.first, name); });
}

std::optional<std::string_view> HeaderMap::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (equalsIgnoreCase(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

}  // namespace ocellus::api::http
