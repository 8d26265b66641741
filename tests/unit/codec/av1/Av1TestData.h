#pragma once

#include <cstdint>
#include <vector>

#include "fakes/Hex.h"

namespace ocellus::codec::av1::test {

// The sequence header OBU of a 320x240 4:2:0 8-bit stream from libaom (Debian's FFmpeg 5.1),
// and the av1C FFmpeg's MP4 muxer wrote for it.
inline constexpr const char* kSequenceHeaderHex = "0a0b000000043cffbcdaf90040";
inline constexpr const char* kAv1cHex = "81000c00 0a0b000000043cffbcdaf90040";
inline std::vector<std::uint8_t> sequenceHeaderObu() { return ocellus::test::hex(kSequenceHeaderHex); }
inline std::vector<std::uint8_t> av1c() { return ocellus::test::hex(kAv1cHex); }

// Frame OBUs with their size fields: a shown key frame and a shown inter frame (the first
// bits of their frame headers; the rest is filler).
inline const std::vector<std::uint8_t> kKeyFrameObu = {0x32, 0x03, 0x10, 0xaa, 0xbb};
inline const std::vector<std::uint8_t> kInterFrameObu = {0x32, 0x02, 0x30, 0xcc};
inline const std::vector<std::uint8_t> kTemporalDelimiter = {0x12, 0x00};

}  // namespace ocellus::codec::av1::test
