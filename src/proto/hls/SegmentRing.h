#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "proto/hls/PlaylistRequest.h"

namespace ocellus::proto::hls {

using Buffer = std::shared_ptr<const std::vector<std::uint8_t>>;

// One LL-HLS part: one fMP4 fragment (moof+mdat), immutable and shared by every reader.
struct Part {
  Buffer bytes;
  std::chrono::microseconds duration{0};
  bool independent = false;  // starts with a keyframe (EXT-X-PART INDEPENDENT=YES)
};

// A media segment: the concatenation of its parts (seg{msn}.mp4 is served as their bytes in
// order, without a copy). Complete once the next segment has started or the stream has ended.
struct Segment {
  std::uint64_t msn = 0;
  std::uint64_t firstPart = 0;  // running number of parts[0] (part{n}.mp4)
  std::vector<Part> parts;
  std::chrono::microseconds duration{0};
  std::chrono::milliseconds programDateTime{0};  // wall clock at the first part, since the epoch
  bool complete = false;
};

struct RingConfig {
  std::chrono::microseconds targetDuration{1'000'000};  // a segment closes at the first keyframe after this
  std::chrono::microseconds partTarget{200'000};
  std::size_t maxSegments = 7;  // complete segments kept (and listed)
  // The first segment's msn. A server that restarts a stream's ring picks a larger one than the
  // old ring reached, so no seg/part URL names different bytes than a player may have cached.
  std::uint64_t firstMsn = 0;
  // The first part's running number, picked the same way: parts are numbered across segments.
  std::uint64_t firstPart = 0;
};

// What a blocking playlist request should get now (RFC 8216bis §6.2.5.2).
struct BlockingDecision {
  enum class Kind : std::uint8_t { Ready, Wait, BadRequest };
  Kind kind = Kind::Ready;
  std::uint64_t msn = 0;  // Wait: until this part exists (normalised: a part index past the end
  std::uint32_t part = 0; // of a complete segment means part 0 of the next one)
  bool wholeSegment = false;  // Wait: until segment msn is complete (no _HLS_part)
  std::optional<std::uint64_t> partNumber;  // Wait: until the part of this running number exists
  std::string reason;         // BadRequest
};

// The sans-I/O LL-HLS store of one stream: the init segment, the last maxSegments complete
// segments and the one being built, each as a list of shared immutable parts. The packager
// adds parts; server code reads segments/parts, renders playlists (MediaPlaylist.h) and parks
// blocking requests as waiters that addPart() releases.
//
// Media sequence numbers start at config.firstMsn and rise by one per segment. A part has an
// index in its segment (what _HLS_part counts) and a running number across segments, from
// config.firstPart (what its name carries). Not thread-safe: one owner, on the stream's loop.
class SegmentRing {
 public:
  using WaiterId = std::uint64_t;
  // Called once, from addPart() or finish(), after the ring has changed. The callee may read the
  // ring (render a playlist, fetch parts) and add or cancel waiters; it must not add parts.
  using Waiter = std::function<void()>;

  explicit SegmentRing(RingConfig config, Buffer init = nullptr);

  const RingConfig& config() const { return config_; }
  const Buffer& init() const { return init_; }
  void setInit(Buffer init) { init_ = std::move(init); }

  // Appends a part. An independent part starts a new segment when the open one has reached
  // the target duration (or when there is none); the open one then completes and the oldest
  // complete segments beyond maxSegments are dropped. Releases the waiters now satisfied.
  // `wallClock` is the program date time of the part's first sample.
  void addPart(Part part, std::chrono::milliseconds wallClock);
  // Completes the open segment (end of stream) and releases every waiter.
  void finish();

  const std::deque<Segment>& segments() const { return segments_; }
  const Segment* segment(std::uint64_t msn) const;
  // The part of that running number, while the ring keeps it.
  const Part* part(std::uint64_t number) const;
  // The running number the next part will get: the one a preload hint names.
  std::uint64_t nextPart() const { return nextPart_; }
  // The last complete segment's msn, if any.
  std::optional<std::uint64_t> lastCompleteMsn() const;
  // The segment being built, if any (it has at least one part).
  const Segment* openSegment() const;
  bool finished() const { return finished_; }
  // Rises with every change (a part added, the end): what was rendered from the ring at one
  // value is current until it moves.
  std::uint64_t version() const { return version_; }
  // Largest segment and part durations so far, for TARGETDURATION and PART-TARGET.
  std::chrono::microseconds maxSegmentDuration() const { return maxSegment_; }
  std::chrono::microseconds maxPartDuration() const { return maxPart_; }
  // Parts a blocking request may ask beyond the last one (RFC 8216bis §6.2.5.2 Advance Part Limit).
  std::uint32_t advancePartLimit() const;

  BlockingDecision decide(const PlaylistRequest& request) const;
  // A GET of part{number}.mp4 not in the ring: Wait for it when it is the next part or within
  // the advance part limit of it, else BadRequest; Ready when it is gone or the ring finished.
  BlockingDecision decidePart(std::uint64_t number) const;
  // Parks `waiter` until decide() would say Ready for (msn, part), or segment msn completes when
  // wholeSegment; runs it at once (before returning) if that is already so.
  WaiterId wait(const BlockingDecision& decision, Waiter waiter);
  void cancel(WaiterId id);
  std::size_t waiterCount() const { return waiters_.size(); }

 private:
  struct Parked {
    WaiterId id;
    BlockingDecision until;
    Waiter waiter;
  };
  bool satisfied(const BlockingDecision& until) const;
  void releaseWaiters();
  void evict();

  RingConfig config_;
  Buffer init_;
  std::deque<Segment> segments_;
  std::uint64_t nextMsn_ = 0;
  std::uint64_t nextPart_ = 0;
  std::vector<Parked> waiters_;
  WaiterId nextWaiter_ = 1;
  std::chrono::microseconds maxSegment_{0};
  std::chrono::microseconds maxPart_{0};
  bool finished_ = false;
  std::uint64_t version_ = 0;
};

}  // namespace ocellus::proto::hls
