#pragma once

#include <vector>

#include "store/Store.h"

namespace ocellus::record {

// [start, end) in wall-clock milliseconds.
struct Interval {
  store::TimeMs start = 0;
  store::TimeMs end = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// What recordings cover of a time range and what they miss, both in order and disjoint;
// together they tile the range.
struct Timeline {
  std::vector<Interval> covered;
  std::vector<Interval> gaps;
};

// The timeline of `rows` (in any order, of one camera) over [from, to). Recordings whose hole
// between them is at most `tolerance` merge into one interval: a segment rollover or a
// reconnect of a second is not worth showing as a gap. Merged intervals are then clipped to the
// range; the time before the first recording and after the last is a gap like any other. A row
// that covers no time (a file just opened) is left out. An empty range gives an empty timeline.
Timeline buildTimeline(std::vector<store::Recording> rows, store::TimeMs from, store::TimeMs to,
                       store::TimeMs tolerance = 1500);

}  // namespace ocellus::record
