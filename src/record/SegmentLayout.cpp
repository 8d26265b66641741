#include "record/SegmentLayout.h"

namespace ocellus::record {

std::int64_t SegmentLayout::durationMs() const {
  if (primaryTimescale == 0) return 0;
  std::uint64_t ticks = 0;
  for (const auto& f : fragments) ticks += f.duration;
  return static_cast<std::int64_t>(ticks * 1000 / primaryTimescale);
}

}  // namespace ocellus::record
