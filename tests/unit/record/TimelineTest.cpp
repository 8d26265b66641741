#include "record/Timeline.h"

#include <gtest/gtest.h>

#include <ostream>
#include <vector>

namespace ocellus::record {

// Found by argument-dependent lookup, so it lives beside Interval rather than in the unnamed namespace.
void PrintTo(const Interval& interval, std::ostream* os) {
  *os << "[" << interval.start << ", " << interval.end << ")";
}

namespace {

using Intervals = std::vector<Interval>;

store::Recording row(store::TimeMs start, store::TimeMs end) {
  store::Recording r;
  r.cameraId = "cam-1";
  r.startMs = start;
  r.endMs = end;
  return r;
}

TEST(TimelineTest, NoRecordingsIsOneGap) {
  const Timeline t = buildTimeline({}, 1000, 5000);
  EXPECT_TRUE(t.covered.empty());
  EXPECT_EQ(t.gaps, (Intervals{{1000, 5000}}));
}

TEST(TimelineTest, HolesUpToTheToleranceMerge) {
  // Rollovers 0 ms and exactly 1500 ms apart merge; 1501 ms is a gap. Input order does not matter.
  const Timeline t = buildTimeline(
      {row(30'000, 40'000), row(0, 10'000), row(10'000, 20'000), row(21'500, 28'499)}, 0, 40'000);
  EXPECT_EQ(t.covered, (Intervals{{0, 28'499}, {30'000, 40'000}}));
  EXPECT_EQ(t.gaps, (Intervals{{28'499, 30'000}}));

  const Timeline strict = buildTimeline({row(0, 10'000), row(10'001, 20'000)}, 0, 20'000, 0);
  EXPECT_EQ(strict.covered, (Intervals{{0, 10'000}, {10'001, 20'000}}));
  EXPECT_EQ(strict.gaps, (Intervals{{10'000, 10'001}}));
}

TEST(TimelineTest, OverlappingAndNestedRowsMerge) {
  const Timeline t = buildTimeline({row(0, 10'000), row(2000, 3000), row(5000, 12'000)}, 0, 12'000);
  EXPECT_EQ(t.covered, (Intervals{{0, 12'000}}));
  EXPECT_TRUE(t.gaps.empty());
}

TEST(TimelineTest, ClipsToTheRangeWithGapsAtBothEnds) {
  const Timeline t = buildTimeline({row(0, 10'000), row(20'000, 30'000), row(50'000, 60'000)}, 5000, 25'000);
  EXPECT_EQ(t.covered, (Intervals{{5000, 10'000}, {20'000, 25'000}}));
  EXPECT_EQ(t.gaps, (Intervals{{10'000, 20'000}}));

  const Timeline edges = buildTimeline({row(12'000, 18'000)}, 10'000, 20'000);
  EXPECT_EQ(edges.covered, (Intervals{{12'000, 18'000}}));
  EXPECT_EQ(edges.gaps, (Intervals{{10'000, 12'000}, {18'000, 20'000}}));
}

TEST(TimelineTest, RowsOutsideTheRangeStillBridgeAHoleInside) {
  // The two rows merge before clipping, so the range is covered end to end.
  const Timeline t = buildTimeline({row(0, 10'000), row(11'000, 30'000)}, 9000, 12'000);
  EXPECT_EQ(t.covered, (Intervals{{9000, 12'000}}));
  EXPECT_TRUE(t.gaps.empty());

  const Timeline outside = buildTimeline({row(0, 1000), row(9000, 9500)}, 2000, 8000);
  EXPECT_TRUE(outside.covered.empty());
  EXPECT_EQ(outside.gaps, (Intervals{{2000, 8000}}));
}

TEST(TimelineTest, RowsCoveringNoTimeAreLeftOut) {
  // A file just opened (end = start) neither covers its instant nor bridges the hole around it.
  const Timeline t =
      buildTimeline({row(0, 1000), row(2000, 2000), row(3000, 3000), row(4000, 5000)}, 0, 5000);
  EXPECT_EQ(t.covered, (Intervals{{0, 1000}, {4000, 5000}}));
  EXPECT_EQ(t.gaps, (Intervals{{1000, 4000}}));
}

TEST(TimelineTest, AnEmptyRangeIsAnEmptyTimeline) {
  for (const auto& t : {buildTimeline({row(0, 1000)}, 500, 500), buildTimeline({row(0, 1000)}, 800, 200)}) {
    EXPECT_TRUE(t.covered.empty());
    EXPECT_TRUE(t.gaps.empty());
  }
}

}  // namespace
}  // namespace ocellus::record
