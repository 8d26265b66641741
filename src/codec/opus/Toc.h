#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace ocellus::codec::opus {

// Opus packets always count time at 48 kHz, whatever the coded bandwidth (RFC 7587 §4.1).
inline constexpr std::uint32_t kSampleRate = 48000;
// No packet lasts longer than 120 ms (RFC 6716 §3.2.5).
inline constexpr std::uint32_t kMaxPacketSamples = 5760;

// Samples (at 48 kHz) in one frame of the configuration in a TOC byte (RFC 6716 §3.1, Table 2).
std::uint32_t frameSamples(std::uint8_t toc);

// Samples (at 48 kHz) in a whole packet, from its TOC byte and, for code 3, its frame count
// byte (RFC 6716 §3.2); nullopt when the packet is too short or would exceed 120 ms.
std::optional<std::uint32_t> packetSamples(std::span<const std::uint8_t> packet);

}  // namespace ocellus::codec::opus
