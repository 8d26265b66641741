#include "rtp/KeyframeScheduler.h"

namespace ocellus::rtp {

bool KeyframeScheduler::due(base::SteadyTime now) {
  if (!last_) {
    last_ = now;
    return false;
  }
  if (now - *last_ < maxInterval_) return false;
  last_ = now;
  return true;
}

}  // namespace ocellus::rtp
