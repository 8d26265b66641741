#include "codec/h264/ParameterSetCache.h"

#include "codec/NalUnits.h"
#include "codec/ParameterSets.h"
#include "codec/h264/Nal.h"

namespace ocellus::codec::h264 {

base::Status ParameterSetCache::addSprop(std::string_view spropParameterSets) {
  auto nals = parseSpropList(spropParameterSets);
  if (!nals) return base::makeError(base::ErrorCode::Malformed, "sprop-parameter-sets: not base64");
  for (const auto& nal : *nals) remember(nal);
  return {};
}

std::string ParameterSetCache::spropParameterSets() const {
  const std::span<const std::uint8_t> sets[] = {sps_, pps_};
  return formatSpropList(sets);
}

void ParameterSetCache::observe(std::span<const std::uint8_t> unit) {
  for (auto nal : NalUnits(unit)) remember(nal);
}

void ParameterSetCache::remember(std::span<const std::uint8_t> nal) {
  const NalType type = nalType(nal[0]);
  if (type == NalType::Sps) sps_.assign(nal.begin(), nal.end());
  if (type == NalType::Pps) pps_.assign(nal.begin(), nal.end());
}

std::optional<std::vector<std::uint8_t>> ParameterSetCache::complete(
    std::span<const std::uint8_t> unit) const {
  bool hasSps = false;
  bool hasPps = false;
  bool idr = false;
  for (auto nal : NalUnits(unit)) {
    const NalType type = nalType(nal[0]);
    hasSps |= type == NalType::Sps;
    hasPps |= type == NalType::Pps;
    idr |= type == NalType::Idr;
  }
  std::vector<std::span<const std::uint8_t>> missing;
  if (!hasSps && !sps_.empty()) missing.emplace_back(sps_);
  if (!hasPps && !pps_.empty()) missing.emplace_back(pps_);
  if (!idr || missing.empty()) return std::nullopt;
  return insertBeforeFirstVcl(unit, missing,
                              [](std::span<const std::uint8_t> nal) { return isVcl(nalType(nal[0])); });
}

}  // namespace ocellus::codec::h264
