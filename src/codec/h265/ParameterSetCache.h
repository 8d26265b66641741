#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace ocellus::codec::h265 {

// Remembers the last VPS, SPS and PPS of a stream, whether they came in-band or from SDP, so
// that every keyframe handed on can carry them (see h264::ParameterSetCache). One per track;
// not thread-safe.
class ParameterSetCache {
 public:
  // Takes the parameter sets out of one of sprop-vps, sprop-sps, sprop-pps (RFC 7798 §7.1),
  // sorted by their NAL unit type; other NAL units are ignored. On a malformed list the cache
  // is unchanged.
  base::Status addSprop(std::string_view list);
  // The values of sprop-vps, sprop-sps and sprop-pps ("" when not known).
  std::string spropVps() const;
  std::string spropSps() const;
  std::string spropPps() const;

  // Remembers the parameter sets carried in an access unit in canonical form (codec/Codec.h).
  void observe(std::span<const std::uint8_t> unit);

  // When `unit` is an IRAP picture that lacks a VPS, SPS or PPS the cache knows, a copy with
  // them inserted before its first slice segment; otherwise nullopt.
  std::optional<std::vector<std::uint8_t>> complete(std::span<const std::uint8_t> unit) const;

  std::span<const std::uint8_t> vps() const { return vps_; }
  std::span<const std::uint8_t> sps() const { return sps_; }
  std::span<const std::uint8_t> pps() const { return pps_; }

 private:
  void remember(std::span<const std::uint8_t> nal);

  std::vector<std::uint8_t> vps_;
  std::vector<std::uint8_t> sps_;
  std::vector<std::uint8_t> pps_;
};

}  // namespace ocellus::codec::h265
