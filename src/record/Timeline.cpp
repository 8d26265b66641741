#include "record/Timeline.h"

#include <algorithm>

namespace ocellus::record {

Timeline buildTimeline(std::vector<store::Recording> rows, store::TimeMs from, store::TimeMs to,
                       store::TimeMs tolerance) {
  Timeline timeline;
  if (from >= to) return timeline;
  std::sort(rows.begin(), rows.end(),
            [](const store::Recording& a, const store::Recording& b) { return a.startMs < b.startMs; });

  // Merge first, clip after: two recordings just outside the range still bridge a hole that
  // starts inside it.
  std::vector<Interval> merged;
  for (const auto& row : rows) {
    if (row.endMs <= row.startMs) continue;
    const Interval next{row.startMs, row.endMs};
    if (!merged.empty() && next.start - merged.back().end <= tolerance) {
      merged.back().end = std::max(merged.back().end, next.end);
    } else {
      merged.push_back(next);
    }
  }

  store::TimeMs cursor = from;  // the end of what the timeline has described so far
  for (const auto& interval : merged) {
    const Interval clipped{std::max(interval.start, from), std::min(interval.end, to)};
    if (clipped.start >= clipped.end) continue;
    if (clipped.start > cursor) timeline.gaps.push_back({cursor, clipped.start});
    timeline.covered.push_back(clipped);
    cursor = clipped.end;
  }
  if (cursor < to) timeline.gaps.push_back({cursor, to});
  return timeline;
}

}  // namespace ocellus::record
