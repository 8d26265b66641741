#include "api/http/HeaderMap.h"

#include <algorithm>

#include "base/Text.h"

namespace ocellus::api::http {

bool HeaderMap::equalsIgnoreCase(std::string_view a, std::string_view b) { return base::iequals(a, b); }

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
