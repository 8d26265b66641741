#include "media/GopCache.h"

namespace ocellus::media {

void GopCache::push(const UnitPtr& unit) {
  if (videoTrack_ < 0) return;
  const bool isVideo = static_cast<int>(unit->track) == videoTrack_;
  if (isVideo && unit->keyframe) {
    clear();
  } else if (units_.empty() || overflowed_) {
    return;  // wait for a keyframe to start a GOP
  }
  units_.push_back(unit);
  bytes_ += unit->data.size() + unit->rtpBytes.size();
  if (bytes_ > kMaxBytes || units_.size() > kMaxUnits) {
    clear();
    overflowed_ = true;
  }
}

void GopCache::clear() {
  units_.clear();
  bytes_ = 0;
  overflowed_ = false;
}

}  // namespace ocellus::media
