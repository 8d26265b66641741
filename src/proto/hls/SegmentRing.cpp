#include "proto/hls/SegmentRing.h"

#include <fmt/format.h>

#include <algorithm>

namespace ocellus::proto::hls {

using std::chrono::microseconds;

SegmentRing::SegmentRing(RingConfig config, Buffer init)
    : config_(config), init_(std::move(init)), nextMsn_(config.firstMsn), nextPart_(config.firstPart) {
  config_.maxSegments = std::max<std::size_t>(config_.maxSegments, 1);
}

void SegmentRing::addPart(Part part, std::chrono::milliseconds wallClock) {
  if (finished_) return;
  Segment* open = segments_.empty() || segments_.back().complete ? nullptr : &segments_.back();
  if (open && part.independent && open->duration >= config_.targetDuration) {
    open->complete = true;
    maxSegment_ = std::max(maxSegment_, open->duration);
    open = nullptr;
  }
  if (!open) {
    segments_.push_back(Segment{nextMsn_++, nextPart_, {}, microseconds{0}, wallClock, false});
    open = &segments_.back();
  }
  maxPart_ = std::max(maxPart_, part.duration);
  open->duration += part.duration;
  open->parts.push_back(std::move(part));
  ++nextPart_;
  ++version_;
  evict();
  releaseWaiters();
}

void SegmentRing::finish() {
  if (!segments_.empty() && !segments_.back().complete) {
    segments_.back().complete = true;
    maxSegment_ = std::max(maxSegment_, segments_.back().duration);
  }
  finished_ = true;
  ++version_;
  evict();
  std::vector<Parked> all;
  all.swap(waiters_);
  for (auto& w : all) w.waiter();
}

void SegmentRing::evict() {
  std::size_t complete = 0;
  for (const auto& s : segments_) complete += s.complete ? 1 : 0;
  while (complete > config_.maxSegments) {
    segments_.pop_front();
    --complete;
  }
}

const Segment* SegmentRing::segment(std::uint64_t msn) const {
  if (segments_.empty() || msn < segments_.front().msn || msn > segments_.back().msn) return nullptr;
  return &segments_[static_cast<std::size_t>(msn - segments_.front().msn)];
}

const Part* SegmentRing::part(std::uint64_t number) const {
  for (const Segment& s : segments_) {
    if (number >= s.firstPart && number - s.firstPart < s.parts.size()) return &s.parts[number - s.firstPart];
  }
  return nullptr;
}

std::optional<std::uint64_t> SegmentRing::lastCompleteMsn() const {
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    if (it->complete) return it->msn;
  }
  return std::nullopt;
}

const Segment* SegmentRing::openSegment() const {
  return segments_.empty() || segments_.back().complete ? nullptr : &segments_.back();
}

std::uint32_t SegmentRing::advancePartLimit() const {
  // Three parts, or as many as make three seconds when parts are shorter than a second.
  const auto target = std::max(config_.partTarget, microseconds{1});
  if (target >= std::chrono::seconds(1)) return 3;
  return static_cast<std::uint32_t>((std::chrono::seconds(3) + target - microseconds{1}) / target);
}

bool SegmentRing::satisfied(const BlockingDecision& until) const {
  if (finished_) return true;
  if (until.partNumber) return *until.partNumber < nextPart_;
  if (segments_.empty()) return false;
  if (until.msn < segments_.front().msn) return true;  // already gone by: the playlist is newer
  const Segment* s = segment(until.msn);
  if (!s) return false;
  if (s->complete) return true;
  return !until.wholeSegment && until.part < s->parts.size();
}

BlockingDecision SegmentRing::decide(const PlaylistRequest& request) const {
  BlockingDecision d;
  if (!request.msn) return d;
  d.msn = *request.msn;
  d.part = request.part.value_or(0);
  d.wholeSegment = !request.part;
  // A part index past the end of a complete segment means the first part of the next one.
  if (const Segment* s = segment(d.msn); s && s->complete && request.part && d.part >= s->parts.size()) {
    ++d.msn;
    d.part = 0;
  }
  // "greater than the Media Sequence Number of the last Media Segment in the current Playlist
  // plus two" → 400. The open segment's msn is lastComplete + 1, so that is open + 1.
  const std::int64_t last = lastCompleteMsn() ? static_cast<std::int64_t>(*lastCompleteMsn())
                                              : static_cast<std::int64_t>(nextMsn_) - (openSegment() ? 2 : 1);
  if (static_cast<std::int64_t>(std::min<std::uint64_t>(d.msn, INT64_MAX)) > last + 2) {
    d.kind = BlockingDecision::Kind::BadRequest;
    d.reason = fmt::format("_HLS_msn {} is more than two segments ahead", *request.msn);
    return d;
  }
  if (request.part) {
    // Parts the playlist has of the requested segment so far (none when it has not started).
    const Segment* s = segment(d.msn);
    const std::int64_t have = s ? static_cast<std::int64_t>(s->parts.size()) : 0;
    if (static_cast<std::int64_t>(d.part) >= have + advancePartLimit()) {
      d.kind = BlockingDecision::Kind::BadRequest;
      d.reason = fmt::format("_HLS_part {} is beyond the advance part limit", *request.part);
      return d;
    }
  }
  d.kind = satisfied(d) ? BlockingDecision::Kind::Ready : BlockingDecision::Kind::Wait;
  return d;
}

BlockingDecision SegmentRing::decidePart(std::uint64_t number) const {
  BlockingDecision d;
  d.partNumber = number;
  if (!finished_ && number >= nextPart_ && number - nextPart_ >= advancePartLimit()) {
    d.kind = BlockingDecision::Kind::BadRequest;
    d.reason = fmt::format("part {} is beyond the advance part limit", number);
    return d;
  }
  d.kind = satisfied(d) ? BlockingDecision::Kind::Ready : BlockingDecision::Kind::Wait;
  return d;
}

SegmentRing::WaiterId SegmentRing::wait(const BlockingDecision& decision, Waiter waiter) {
  const WaiterId id = nextWaiter_++;
  if (satisfied(decision)) {
    waiter();
    return id;
  }
  waiters_.push_back(Parked{id, decision, std::move(waiter)});
  return id;
}

void SegmentRing::cancel(WaiterId id) {
  std::erase_if(waiters_, [id](const Parked& p) { return p.id == id; });
}

void SegmentRing::releaseWaiters() {
  std::vector<Parked> ready;
  std::erase_if(waiters_, [&](Parked& p) {
    if (!satisfied(p.until)) return false;
    ready.push_back(std::move(p));
    return true;
  });
  for (auto& p : ready) p.waiter();
}

}  // namespace ocellus::proto::hls
