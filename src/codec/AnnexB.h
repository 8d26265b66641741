#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ocellus::codec {

// Splits an H.264/H.265 Annex-B byte stream (H.264 Annex B, H.265 Annex B) into its NAL units,
// returned without start codes as views into `stream`. Bytes before the first start code are
// ignored; zero bytes before a start code belong to it (trailing_zero_8bits, and a NAL unit
// never ends in 0x00: H.264 §7.4.1), so they are trimmed; empty NAL units are skipped.
std::vector<std::span<const std::uint8_t>> splitAnnexB(std::span<const std::uint8_t> stream);

// Appends one NAL unit to `out` in canonical form (codec/Codec.h).
void appendNal(std::span<const std::uint8_t> nal, std::vector<std::uint8_t>& out);

// Appends every NAL unit of an Annex-B stream to `out` in canonical form.
void annexBToCanonical(std::span<const std::uint8_t> stream, std::vector<std::uint8_t>& out);

// Appends one NAL unit (without start code) to `out` as Annex B, after a 4-byte start code
// (zero_byte + start_code_prefix_one_3bytes, as required before parameter sets and the first
// NAL unit of an access unit: H.264 §B.1.2).
void appendAnnexB(std::span<const std::uint8_t> nal, std::vector<std::uint8_t>& out);

}  // namespace ocellus::codec
