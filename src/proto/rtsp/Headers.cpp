#include "proto/rtsp/Headers.h"

#include <algorithm>

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& f : fields_) {
    if (iequals(f.name, name)) return f.value;
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::getAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& f : fields_) {
    if (iequals(f.name, name)) out.emplace_back(f.value);
  }
  return out;
}

void Headers::set(std::string_view name, std::string value) {
  auto first = std::ranges::find_if(fields_, [&](const Header& f) { return iequals(f.name, name); });
  if (first == fields_.end()) {
    fields_.push_back({std::string(name), std::move(value)});
    return;
  }
  first->value = std::move(value);
  fields_.erase(
      std::remove_if(first + 1, fields_.end(), [&](const Header& f) { return iequals(f.name, name); }),
      fields_.end());
}

void Headers::add(std::string name, std::string value) {
  fields_.push_back({std::move(name), std::move(value)});
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Header& f) { return iequals(f.name, name); });
}

void Headers::appendWithBody(std::string& out, std::string_view body) const {
  for (const auto& f : fields_) {
    if (iequals(f.name, "Content-Length")) continue;
    appendFieldText(out, f.name);
    out += ": ";
    appendFieldText(out, f.value);
    out += "\r\n";
  }
  if (!body.empty()) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
}

std::optional<std::uint32_t> Headers::cseq() const {
  const auto v = get("CSeq");
  return v ? parseUnsigned<std::uint32_t>(trim(*v)) : std::nullopt;
}

}  // namespace ocellus::proto::rtsp
