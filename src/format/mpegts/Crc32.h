#pragma once

#include <cstdint>
#include <span>

namespace ocellus::format::mpegts {

// The CRC_32 of PSI sections (H.222.0 Annex A): polynomial 0x04C11DB7, initial value
// 0xFFFFFFFF, MSB first, no final XOR. Over a whole section including its CRC it is 0.
std::uint32_t crc32(std::span<const std::uint8_t> data);

}  // namespace ocellus::format::mpegts
