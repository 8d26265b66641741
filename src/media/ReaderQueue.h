#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "base/Clock.h"
#include "media/Unit.h"

namespace ocellus::media {

// The bounded queue between a stream and one reader's socket (DESIGN §3: slow readers never
// slow the publisher or other readers). Units wait here while the reader's previous write is
// in flight; the writer takes them all at once (one merged write). When the queue holds more
// than maxBytes, or its oldest unit has waited longer than maxAge, everything queued is
// dropped and the reader skips to the next video keyframe, so it resumes with a clean picture.
// One loop only.
class ReaderQueue {
 public:
  struct Limits {
    std::size_t maxBytes = 4 << 20;
    std::chrono::milliseconds maxAge{1000};
  };

  // videoTrack < 0: no video, so an overflow drops only what is queued.
  ReaderQueue(Limits limits, int videoTrack) : limits_(limits), videoTrack_(videoTrack) {}

  // Returns false when the unit was dropped (overflow, or waiting for a keyframe).
  bool push(const UnitPtr& unit, std::size_t wireBytes, base::SteadyTime now);
  // Moves every queued unit to the back of `out` (which keeps its capacity between writes).
  void takeAll(std::vector<UnitPtr>& out);
  bool empty() const { return units_.empty(); }
  std::size_t bytes() const { return bytes_; }

  std::uint64_t droppedUnits() const { return droppedUnits_; }
  std::uint64_t overflows() const { return overflows_; }

 private:
  Limits limits_;
  int videoTrack_;
  std::vector<UnitPtr> units_;
  std::size_t bytes_ = 0;
  base::SteadyTime oldest_{};
  bool waitKeyframe_ = false;
  std::uint64_t droppedUnits_ = 0;
  std::uint64_t overflows_ = 0;
};

}  // namespace ocellus::media
