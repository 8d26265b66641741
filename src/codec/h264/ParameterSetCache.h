#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace ocellus::codec::h264 {

// Remembers the last SPS and PPS of a stream, whether they came in-band or from SDP, so that
// every keyframe handed on can carry them: some cameras send parameter sets only in SDP,
// others only in-band before the first IDR. One per track; not thread-safe.
class ParameterSetCache {
 public:
  // Takes the SPS and PPS out of sprop-parameter-sets (RFC 6184 §8.1); others are ignored.
  // On a malformed list the cache is unchanged.
  base::Status addSprop(std::string_view spropParameterSets);
  // sprop-parameter-sets for the cached SPS and PPS ("" when neither is known).
  std::string spropParameterSets() const;

  // Remembers the SPS and PPS carried in an access unit in canonical form (codec/Codec.h).
  void observe(std::span<const std::uint8_t> unit);

  // When `unit` is a keyframe that lacks an SPS or PPS the cache knows, a copy with them
  // inserted before its first slice; otherwise nullopt (the unit is complete as it is).
  std::optional<std::vector<std::uint8_t>> complete(std::span<const std::uint8_t> unit) const;

  std::span<const std::uint8_t> sps() const { return sps_; }
  std::span<const std::uint8_t> pps() const { return pps_; }

 private:
  void remember(std::span<const std::uint8_t> nal);

  std::vector<std::uint8_t> sps_;
  std::vector<std::uint8_t> pps_;
};

}  // namespace ocellus::codec::h264
