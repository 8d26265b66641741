#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/Clock.h"
#include "base/SeqNum.h"

namespace ocellus::rtp {

// The packets recently sent on one SSRC, kept to answer NACKs (RFC 4585 §6.2.1) by
// retransmission. Stored by runs: one value stands for `count` consecutive sequence numbers,
// typically a reference to the shared unit whose payloads went out as those packets. With many
// readers of one stream the packets themselves are the stream's (DESIGN §3); what a reader adds
// is one small entry per unit, mapping its own sequence numbers onto them — not a slot per
// packet (a per-packet ring of a second of video cost every WHEP viewer ~48 KB).
//
// Bounded by count (the newest maxRuns runs, in a ring allocated once) and by age (maxAge since
// insert). Insert is O(1); find walks back from the newest run and stops at the first one too
// old, which stays cheap because NACKs are rare and runs are few.
//
// T must be default-constructible and movable; a run's value is released when its slot is
// reused. One thread only; time is passed in and does not go backwards.
template <typename T>
class RetransmissionBuffer {
 public:
  // A stored packet: its run's value and its position in the run.
  struct Hit {
    const T* value;
    std::size_t index;
  };

  // maxRuns is raised to 1.
  RetransmissionBuffer(std::size_t maxRuns, std::chrono::milliseconds maxAge)
      : maxAge_(maxAge), runs_(std::max<std::size_t>(maxRuns, 1)) {}

  // Stores value for the count packets firstSeq, firstSeq + 1, … sent at now; the oldest run
  // goes when the ring is full. A sequence number stored again is answered by the newer run.
  void insert(std::uint16_t firstSeq, std::uint16_t count, T value, base::SteadyTime now) {
    if (count == 0) return;
    runs_[next_] = Run{std::move(value), now, firstSeq, count};
    next_ = (next_ + 1) % runs_.size();
    size_ = std::min(size_ + 1, runs_.size());
  }

  // The packet seq, or nullopt when it was never stored, its run was evicted, or it is older
  // than maxAge at now. The value pointer is valid until the next insert().
  std::optional<Hit> find(std::uint16_t seq, base::SteadyTime now) const {
    for (std::size_t back = 1; back <= size_; ++back) {
      const Run& run = runs_[(next_ + runs_.size() - back) % runs_.size()];
      if (now - run.stored > maxAge_) break;  // every run before it is older still
      const std::int32_t offset = base::seqDiff(seq, run.first);
      if (offset >= 0 && offset < run.count) return Hit{&run.value, static_cast<std::size_t>(offset)};
    }
    return std::nullopt;
  }

 private:
  struct Run {
    T value{};
    base::SteadyTime stored{};
    std::uint16_t first = 0;
    std::uint16_t count = 0;
  };

  std::chrono::milliseconds maxAge_;
  std::vector<Run> runs_;
  std::size_t next_ = 0;  // the slot the next insert takes
  std::size_t size_ = 0;  // runs stored, at most runs_.size()
};

}  // namespace ocellus::rtp
