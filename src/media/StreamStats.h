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
  std::uint64_t keyframeRequests = 0;         // readers' requests passed to the publisher
  std::uint64_t keyframeRequestsDropped = 0;  // refused: too soon after the last, or no way to make one
  double fps = 0;                   // video units in the last second
  double bitrateKbps = 0;           // bytes in over the last second
  double uptimeSeconds = 0;
};

}  // namespace ocellus::media
