#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::base {

// Base64 with the standard alphabet and '=' padding (RFC 4648 §4), as SDP uses it for
// sprop-parameter-sets (RFC 6184 §8.1) and sprop-vps/sps/pps (RFC 7798 §7.1).
std::string base64Encode(std::span<const std::uint8_t> data);

// Decodes RFC 4648 §4 text. Padding may be omitted (some cameras do); any other character,
// misplaced padding or a dangling 6-bit group gives nullopt.
std::optional<std::vector<std::uint8_t>> base64Decode(std::string_view text);

// The URL- and filename-safe alphabet without padding (RFC 4648 §5), as JWTs (RFC 7515 §2)
// and tokens use it.
std::string base64UrlEncode(std::span<const std::uint8_t> data);

// Strict: only the URL alphabet, no padding, and the unused bits of the last character zero
// (RFC 4648 §3.5), so every byte string has exactly one accepted text (a signed token cannot
// be re-spelled).
std::optional<std::vector<std::uint8_t>> base64UrlDecode(std::string_view text);

}  // namespace ocellus::base
