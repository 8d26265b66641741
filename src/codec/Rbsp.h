#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ocellus::codec {

// The RBSP of a NAL unit: its bytes with every emulation_prevention_three_byte (the 03 of
// 00 00 03) removed (H.264 §7.4.1, H.265 §7.4.2), so bit-level parsers see the real syntax.
std::vector<std::uint8_t> removeEmulationPrevention(std::span<const std::uint8_t> nal);

}  // namespace ocellus::codec
