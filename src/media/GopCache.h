#pragma once

#include <chrono>
#include <vector>

#include "media/Unit.h"

namespace ocellus::media {

// The units since the last video keyframe (and the audio between them), so a new reader
// starts with a decodable picture at once. Bounded: a GOP longer than the limits is dropped
// (readers then wait for the next keyframe). Streams without video keep nothing.
class GopCache {
 public:
  static constexpr std::size_t kMaxBytes = 16 << 20;
  static constexpr std::size_t kMaxUnits = 2048;

  // videoTrack < 0: the stream has no video.
  explicit GopCache(int videoTrack) : videoTrack_(videoTrack) {}

  void push(const UnitPtr& unit);
  const std::vector<UnitPtr>& units() const { return units_; }
  void clear();

 private:
  int videoTrack_;
  std::vector<UnitPtr> units_;
  std::size_t bytes_ = 0;
  bool overflowed_ = false;
};

}  // namespace ocellus::media
