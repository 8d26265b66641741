#include "codec/ParameterSets.h"

#include "base/Base64.h"
#include "codec/AnnexB.h"
#include "codec/NalUnits.h"

namespace ocellus::codec {

std::optional<std::vector<std::vector<std::uint8_t>>> parseSpropList(std::string_view list) {
  std::vector<std::vector<std::uint8_t>> nals;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (item.empty()) continue;
    auto nal = base::base64Decode(item);
    if (!nal) return std::nullopt;
    if (!nal->empty()) nals.push_back(std::move(*nal));
  }
  return nals;
}

std::string formatSpropList(std::span<const std::span<const std::uint8_t>> nals) {
  std::string out;
  for (auto nal : nals) {
    if (nal.empty()) continue;
    if (!out.empty()) out += ',';
    out += base::base64Encode(nal);
  }
  return out;
}

std::vector<std::uint8_t> insertBeforeFirstVcl(std::span<const std::uint8_t> unit,
                                               std::span<const std::span<const std::uint8_t>> nals,
                                               bool (*isVcl)(std::span<const std::uint8_t> nal)) {
  std::vector<std::uint8_t> out;
  out.reserve(unit.size() + 64);
  bool inserted = false;
  const auto insert = [&] {
    for (auto set : nals) appendNal(set, out);
    inserted = true;
  };
  for (auto nal : NalUnits(unit)) {
    if (!inserted && isVcl(nal)) insert();
    appendNal(nal, out);
  }
  if (!inserted) insert();
  return out;
}

}  // namespace ocellus::codec
