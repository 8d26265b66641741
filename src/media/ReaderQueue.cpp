#include "media/ReaderQueue.h"

namespace ocellus::media {

bool ReaderQueue::push(const UnitPtr& unit, std::size_t wireBytes, base::SteadyTime now) {
  if (waitKeyframe_) {
    if (!(static_cast<int>(unit->track) == videoTrack_ && unit->keyframe)) {
      ++droppedUnits_;
      return false;
    }
    waitKeyframe_ = false;
  }
  const bool tooBig = bytes_ + wireBytes > limits_.maxBytes;
  const bool tooOld = !units_.empty() && now - oldest_ > limits_.maxAge;
  if (tooBig || tooOld) {
    ++overflows_;
    droppedUnits_ += units_.size();
    units_.clear();
    bytes_ = 0;
    if (videoTrack_ >= 0 && !(static_cast<int>(unit->track) == videoTrack_ && unit->keyframe)) {
      waitKeyframe_ = true;
      ++droppedUnits_;
      return false;
    }
  }
  if (units_.empty()) oldest_ = now;
  units_.push_back(unit);
  bytes_ += wireBytes;
  return true;
}

void ReaderQueue::takeAll(std::vector<UnitPtr>& out) {
  for (auto& u : units_) out.push_back(std::move(u));
  units_.clear();
  bytes_ = 0;
}

}  // namespace ocellus::media
