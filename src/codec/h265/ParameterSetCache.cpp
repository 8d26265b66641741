#include "codec/h265/ParameterSetCache.h"

#include "codec/NalUnits.h"
#include "codec/ParameterSets.h"
#include "codec/h265/Nal.h"

namespace ocellus::codec::h265 {
namespace {

std::string format(std::span<const std::uint8_t> nal) {
  const std::span<const std::uint8_t> sets[] = {nal};
  return formatSpropList(sets);
}

}  // namespace

base::Status ParameterSetCache::addSprop(std::string_view list) {
  auto nals = parseSpropList(list);
  if (!nals) return base::makeError(base::ErrorCode::Malformed, "sprop-vps/sps/pps: not base64");
  for (const auto& nal : *nals) remember(nal);
  return {};
}

std::string ParameterSetCache::spropVps() const {
  return format(vps_);
}
std::string ParameterSetCache::spropSps() const {
  return format(sps_);
}
std::string ParameterSetCache::spropPps() const {
  return format(pps_);
}

void ParameterSetCache::observe(std::span<const std::uint8_t> unit) {
  for (auto nal : NalUnits(unit)) remember(nal);
}

void ParameterSetCache::remember(std::span<const std::uint8_t> nal) {
  if (nal.size() < kNalHeaderSize) return;
  switch (nalType(nal[0])) {
    case NalType::Vps:
      vps_.assign(nal.begin(), nal.end());
      break;
    case NalType::Sps:
      sps_.assign(nal.begin(), nal.end());
      break;
    case NalType::Pps:
      pps_.assign(nal.begin(), nal.end());
      break;
    default:
      break;
  }
}

std::optional<std::vector<std::uint8_t>> ParameterSetCache::complete(
    std::span<const std::uint8_t> unit) const {
  bool hasVps = false;
  bool hasSps = false;
  bool hasPps = false;
  bool irap = false;
  for (auto nal : NalUnits(unit)) {
    const NalType type = nalType(nal[0]);
    hasVps |= type == NalType::Vps;
    hasSps |= type == NalType::Sps;
    hasPps |= type == NalType::Pps;
    irap |= isIrap(type);
  }
  std::vector<std::span<const std::uint8_t>> missing;
  if (!hasVps && !vps_.empty()) missing.emplace_back(vps_);
  if (!hasSps && !sps_.empty()) missing.emplace_back(sps_);
  if (!hasPps && !pps_.empty()) missing.emplace_back(pps_);
  if (!irap || missing.empty()) return std::nullopt;
  return insertBeforeFirstVcl(unit, missing,
                              [](std::span<const std::uint8_t> nal) { return isVcl(nalType(nal[0])); });
}

}  // namespace ocellus::codec::h265
