#pragma once

#include <cstdint>

namespace ocellus::media {

// A snapshot of a stream's health, for the API, metrics and logs.
struct StreamStats {
  std::uint64_t bytesIn = 0;
  std::uint64_t bytesOut = 0;
  std::uint64_t unitsIn = 0;
  std::uint64_t droppedUnits = 0;  // units readers skipped because they were too slow
  std::uint32_t readers = 0;
  double fps = 0;                   // video units in the last second
  double bitrateKbps = 0;           // bytes in over the last second
  double uptimeSeconds = 0;
};

}  // namespace ocellus::media
