#include "proto/hls/SegmentRing.h"

#include <gtest/gtest.h>

#include "proto/hls/Playlist.h"
#include "unit/TestData.h"

namespace ocellus::proto::hls {
namespace {

using namespace std::chrono_literals;
using Kind = BlockingDecision::Kind;

constexpr std::chrono::milliseconds kStart{1714564800000};  // 2024-05-01T12:00:00Z

// 200 ms parts with a keyframe every fifth: 1 s segments of five parts each.
void feed(SegmentRing& ring, int parts, int first = 0) {
  for (int i = first; i < first + parts; ++i) {
    auto bytes = std::make_shared<const std::vector<std::uint8_t>>(std::vector<std::uint8_t>{static_cast<std::uint8_t>(i)});
    ring.addPart(Part{bytes, 200ms, i % 5 == 0}, kStart + i * 200ms);
  }
}

RingConfig config() { return RingConfig{1s, 200ms, 3}; }

std::string golden(const std::string& name) {
  const auto bytes = ocellus::test::readTestData("hls/" + name);
  return {bytes.begin(), bytes.end()};
}

TEST(SegmentRingTest, SplitsAtKeyframesAndEvicts) {
  SegmentRing ring(config());
  feed(ring, 22);
  ASSERT_EQ(ring.segments().size(), 4u);  // three complete, one open
  EXPECT_EQ(ring.segments().front().msn, 1u);
  EXPECT_EQ(ring.lastCompleteMsn(), 3u);
  ASSERT_NE(ring.openSegment(), nullptr);
  EXPECT_EQ(ring.openSegment()->msn, 4u);
  EXPECT_EQ(ring.openSegment()->parts.size(), 2u);
  EXPECT_EQ(ring.segment(3)->duration, 1s);
  EXPECT_EQ(ring.segment(2)->programDateTime, kStart + 2s);
  EXPECT_EQ(ring.segment(0), nullptr);  // evicted
  // Parts are numbered across segments: the 22 fed are 0..21, and 0..4 went with segment 0.
  EXPECT_EQ(ring.openSegment()->firstPart, 20u);
  EXPECT_EQ(ring.part(21)->bytes->at(0), 21);
  EXPECT_EQ(ring.part(22), nullptr);
  EXPECT_EQ(ring.part(4), nullptr);
  EXPECT_TRUE(ring.part(5)->independent);
  EXPECT_EQ(ring.nextPart(), 22u);
}

// A segment longer than the target waits for the next keyframe.
TEST(SegmentRingTest, NoSplitWithoutKeyframe) {
  SegmentRing ring(config());
  for (int i = 0; i < 8; ++i) ring.addPart(Part{nullptr, 200ms, i == 0}, kStart);
  EXPECT_EQ(ring.segments().size(), 1u);
  ring.addPart(Part{nullptr, 200ms, true}, kStart);
  EXPECT_EQ(ring.segments().size(), 2u);
  EXPECT_EQ(ring.maxSegmentDuration(), 1600ms);
}

TEST(SegmentRingTest, LowLatencyPlaylistGolden) {
  SegmentRing ring(config());
  feed(ring, 22);
  EXPECT_EQ(renderLowLatencyPlaylist(ring), golden("ll_live.m3u8"));
  ring.finish();
  EXPECT_EQ(renderLowLatencyPlaylist(ring), golden("ll_ended.m3u8"));
}

// Nine complete segments (2..10) and the open one (11, two parts): 7.4 s, so the three segments
// that end 6 s or more before the end (2, 3 and 4) give way to EXT-X-SKIP.
TEST(SegmentRingTest, DeltaPlaylistGolden) {
  SegmentRing ring(RingConfig{1s, 200ms, 9});
  feed(ring, 57);
  const std::string delta = renderLowLatencyPlaylist(ring, {}, PlaylistRequest::Skip::Yes);
  EXPECT_EQ(delta, golden("ll_delta.m3u8"));
  // v2 also skips date ranges: there are none to report as removed.
  std::string v2 = delta;
  v2.replace(v2.find("SKIPPED-SEGMENTS=3"), 18, "SKIPPED-SEGMENTS=3,RECENTLY-REMOVED-DATERANGES=\"\"");
  EXPECT_EQ(renderLowLatencyPlaylist(ring, {}, PlaylistRequest::Skip::V2), v2);
  // The delta's tail is the full playlist's.
  const std::string full = renderLowLatencyPlaylist(ring);
  const auto tail = delta.substr(delta.find("#EXT-X-PROGRAM-DATE-TIME:"));
  EXPECT_TRUE(full.ends_with(tail));
  EXPECT_EQ(full.find("#EXT-X-SKIP"), std::string::npos);
}

// Nothing ends 6 s before the end, or the ring has ended: the full playlist.
TEST(SegmentRingTest, DeltaPlaylistWithNothingToSkip) {
  SegmentRing ring(config());
  feed(ring, 22);
  EXPECT_EQ(renderLowLatencyPlaylist(ring, {}, PlaylistRequest::Skip::Yes), golden("ll_live.m3u8"));
  SegmentRing ended(RingConfig{1s, 200ms, 9});
  feed(ended, 57);
  ended.finish();
  EXPECT_EQ(renderLowLatencyPlaylist(ended, {}, PlaylistRequest::Skip::Yes), renderLowLatencyPlaylist(ended));
}

TEST(SegmentRingTest, VersionRisesWithEveryChange) {
  SegmentRing ring(config());
  const auto start = ring.version();
  feed(ring, 2);
  EXPECT_EQ(ring.version(), start + 2);
  ring.finish();
  EXPECT_EQ(ring.version(), start + 3);
}

TEST(SegmentRingTest, PlainPlaylistGolden) {
  SegmentRing ring(config());
  feed(ring, 22);
  EXPECT_EQ(renderPlainPlaylist(ring), golden("plain_live.m3u8"));
}

TEST(SegmentRingTest, MultivariantGolden) {
  const Variant variants[] = {{1'500'000, 1280, 720, "avc1.64001F,mp4a.40.2", "stream.m3u8"}};
  EXPECT_EQ(renderMultivariantPlaylist(variants), golden("multivariant.m3u8"));
}

TEST(SegmentRingTest, ProgramDateTime) {
  EXPECT_EQ(formatProgramDateTime(kStart + 250ms), "2024-05-01T12:00:00.250Z");
  EXPECT_EQ(formatProgramDateTime(std::chrono::milliseconds{0}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatProgramDateTime(std::chrono::milliseconds{951825599999}), "2000-02-29T11:59:59.999Z");
}

TEST(SegmentRingTest, EmptyRingRendersHeader) {
  SegmentRing ring(config());
  const std::string ll = renderLowLatencyPlaylist(ring);
  EXPECT_NE(ll.find("#EXT-X-MEDIA-SEQUENCE:0\n"), std::string::npos);
  EXPECT_EQ(ll.find("PRELOAD-HINT"), std::string::npos);
  BlockingDecision d = ring.decide(*PlaylistRequest::parse("_HLS_msn=0&_HLS_part=0"));
  EXPECT_EQ(d.kind, Kind::Wait);
  EXPECT_EQ(ring.decide(*PlaylistRequest::parse("_HLS_msn=2")).kind, Kind::BadRequest);
}

// Ring: segments 1..3 complete (five parts each), 4 open with parts 0 and 1.
BlockingDecision decide(const char* query) {
  SegmentRing ring(config());
  feed(ring, 22);
  auto request = PlaylistRequest::parse(query);
  EXPECT_TRUE(request) << query;
  return ring.decide(*request);
}

TEST(SegmentRingTest, BlockingDecisions) {
  EXPECT_EQ(decide("").kind, Kind::Ready);
  EXPECT_EQ(decide("_HLS_msn=3").kind, Kind::Ready);
  EXPECT_EQ(decide("_HLS_msn=0").kind, Kind::Ready);  // evicted: anything newer will do
  EXPECT_EQ(decide("_HLS_msn=4&_HLS_part=1").kind, Kind::Ready);
  // The next part of the open segment, and the open segment as a whole.
  auto d = decide("_HLS_msn=4&_HLS_part=2");
  EXPECT_EQ(d.kind, Kind::Wait);
  EXPECT_EQ(d.msn, 4u);
  EXPECT_EQ(d.part, 2u);
  d = decide("_HLS_msn=4");
  EXPECT_EQ(d.kind, Kind::Wait);
  EXPECT_TRUE(d.wholeSegment);
  // The msn of the next segment: wait; two ahead of the last complete one: still wait; three: 400.
  EXPECT_EQ(decide("_HLS_msn=5&_HLS_part=0").kind, Kind::Wait);
  EXPECT_EQ(decide("_HLS_msn=5").kind, Kind::Wait);
  d = decide("_HLS_msn=6");
  EXPECT_EQ(d.kind, Kind::BadRequest);
  EXPECT_NE(d.reason.find("_HLS_msn"), std::string::npos);
  EXPECT_EQ(decide("_HLS_msn=1000000").kind, Kind::BadRequest);
  // A part past the end of a complete segment is part 0 of the next one.
  d = decide("_HLS_msn=3&_HLS_part=5");
  EXPECT_EQ(d.kind, Kind::Ready);
  EXPECT_EQ(d.msn, 4u);
  EXPECT_EQ(d.part, 0u);
  // Parts beyond the advance limit (15 parts of 200 ms = 3 s) of the open segment.
  EXPECT_EQ(decide("_HLS_msn=4&_HLS_part=16").kind, Kind::Wait);
  d = decide("_HLS_msn=4&_HLS_part=17");
  EXPECT_EQ(d.kind, Kind::BadRequest);
  EXPECT_NE(d.reason.find("_HLS_part"), std::string::npos);
}

// A part's own GET (part{n}.mp4): the hinted next one waits whichever segment it will start.
TEST(SegmentRingTest, PartDecisions) {
  SegmentRing ring(RingConfig{1s, 200ms, 3, 0, 1000});
  feed(ring, 22);
  EXPECT_EQ(ring.nextPart(), 1022u);
  EXPECT_EQ(ring.decidePart(1021).kind, Kind::Ready);
  EXPECT_EQ(ring.decidePart(1000).kind, Kind::Ready);  // evicted: answered 404
  EXPECT_EQ(ring.decidePart(1022).kind, Kind::Wait);
  EXPECT_EQ(ring.decidePart(1036).kind, Kind::Wait);  // within the advance limit of 15
  const auto far = ring.decidePart(1037);
  EXPECT_EQ(far.kind, Kind::BadRequest);
  EXPECT_NE(far.reason.find("1037"), std::string::npos);
  // Parts 1022..1024 fill segment 4; 1025 starts segment 5: a waiter for 1025 is released by
  // exactly that part, not by the ones before it.
  int released = 0;
  ring.wait(ring.decidePart(1025), [&] { ++released; });
  feed(ring, 3, 22);
  EXPECT_EQ(released, 0);
  feed(ring, 1, 25);
  EXPECT_EQ(released, 1);
  EXPECT_EQ(ring.openSegment()->firstPart, 1025u);
  EXPECT_NE(ring.part(1025), nullptr);
  // And by the end of the stream, when it will never come.
  ring.wait(ring.decidePart(1026), [&] { ++released; });
  ring.finish();
  EXPECT_EQ(released, 2);
  EXPECT_EQ(ring.decidePart(5000).kind, Kind::Ready);
}

TEST(SegmentRingTest, WaitersReleasedWhenThePartArrives) {
  SegmentRing ring(config());
  feed(ring, 22);
  int released42 = 0, released50 = 0, cancelled = 0, immediate = 0;
  ring.wait(ring.decide(*PlaylistRequest::parse("_HLS_msn=4&_HLS_part=2")), [&] { ++released42; });
  ring.wait(ring.decide(*PlaylistRequest::parse("_HLS_msn=5&_HLS_part=0")), [&] { ++released50; });
  const auto id = ring.wait(ring.decide(*PlaylistRequest::parse("_HLS_msn=5")), [&] { ++cancelled; });
  ring.wait(ring.decide(*PlaylistRequest::parse("_HLS_msn=4&_HLS_part=1")), [&] { ++immediate; });
  EXPECT_EQ(immediate, 1);
  EXPECT_EQ(ring.waiterCount(), 3u);
  feed(ring, 1, 22);
  EXPECT_EQ(released42, 1);
  EXPECT_EQ(released50, 0);
  ring.cancel(id);
  feed(ring, 3, 23);  // parts 23, 24: segment 4 has five parts; 25 starts segment 5
  EXPECT_EQ(released50, 1);
  EXPECT_EQ(cancelled, 0);
  EXPECT_EQ(ring.waiterCount(), 0u);
  // A waiter for a whole segment is released by finish().
  bool ended = false;
  ring.wait(ring.decide(*PlaylistRequest::parse("_HLS_msn=5")), [&] { ended = true; });
  ring.finish();
  EXPECT_TRUE(ended);
}

}  // namespace
}  // namespace ocellus::proto::hls
