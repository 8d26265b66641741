#include "format/sdp/MediaDescription.h"

#include <algorithm>
#include <cctype>

#include "format/sdp/Text.h"

namespace ocellus::format::sdp {
namespace {

std::optional<std::uint8_t> parsePayloadType(std::string_view s) {
  const auto pt = parseNumber<std::uint8_t>(s);
  return pt && *pt <= 127 ? pt : std::nullopt;
}

}  // namespace

std::vector<std::uint8_t> MediaDescription::payloadTypes() const {
  std::vector<std::uint8_t> out;
  for (const auto& f : formats) {
    if (auto pt = parsePayloadType(f)) out.push_back(*pt);
  }
  return out;
}

std::optional<RtpMap> MediaDescription::rtpmap(std::uint8_t payloadType) const {
  for (const auto& a : attributes) {
    if (!a.is("rtpmap")) continue;
    auto map = RtpMap::parse(a.value);
    if (map && map->payloadType == payloadType) return std::move(map).value();
  }
  return RtpMap::staticPayloadType(payloadType);
}

std::map<std::string, std::string> MediaDescription::fmtp(std::uint8_t payloadType) const {
  std::map<std::string, std::string> params;
  for (const auto& a : attributes) {
    if (!a.is("fmtp")) continue;
    std::string_view value = trim(a.value);
    const auto space = value.find_first_of(" \t");
    if (parsePayloadType(value.substr(0, space)) != payloadType) continue;
    value = space == std::string_view::npos ? std::string_view() : value.substr(space + 1);
    while (!value.empty()) {
      const auto semi = value.find(';');
      const std::string_view item = trim(value.substr(0, semi));
      value = semi == std::string_view::npos ? std::string_view() : value.substr(semi + 1);
      if (item.empty()) continue;
      const auto eq = item.find('=');
      std::string key(trim(item.substr(0, eq)));
      std::ranges::transform(key, key.begin(),
                             [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      params.emplace(std::move(key),
                     eq == std::string_view::npos ? std::string() : std::string(trim(item.substr(eq + 1))));
    }
    break;
  }
  return params;
}

std::string_view MediaDescription::control() const {
  return attribute("control").value_or(std::string_view());
}

Direction MediaDescription::direction(Direction inherited) const {
  return findDirection(attributes).value_or(inherited);
}

}  // namespace ocellus::format::sdp
