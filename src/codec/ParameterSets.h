#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::codec {

// Helpers shared by h264::ParameterSetCache and h265::ParameterSetCache.

// Decodes an SDP parameter-set list: comma-separated base64 NAL units (RFC 6184 §8.1
// sprop-parameter-sets, RFC 7798 §7.1 sprop-vps/sps/pps). Empty items are skipped; any item
// that is not base64 gives nullopt.
std::optional<std::vector<std::vector<std::uint8_t>>> parseSpropList(std::string_view list);

// The inverse: NAL units as comma-separated base64, empty ones left out.
std::string formatSpropList(std::span<const std::span<const std::uint8_t>> nals);

// Copies an access unit in canonical form (codec/Codec.h) with `nals` inserted before its
// first NAL unit for which `isVcl` is true, or at its end when there is none: parameter sets
// must precede the first slice of the unit (H.264 §7.4.1.2.3, H.265 §7.4.2.4.4).
std::vector<std::uint8_t> insertBeforeFirstVcl(std::span<const std::uint8_t> unit,
                                               std::span<const std::span<const std::uint8_t>> nals,
                                               bool (*isVcl)(std::span<const std::uint8_t> nal));

}  // namespace ocellus::codec
