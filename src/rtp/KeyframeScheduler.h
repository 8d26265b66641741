#pragma once

#include <chrono>
#include <optional>

#include "base/Clock.h"

namespace ocellus::rtp {

// Receive side: says when to ask a video sender for a keyframe (PLI, RFC 4585 §6.3.1) so that
// its GOPs stay at most `maxInterval` long. A WebRTC encoder sends a keyframe only when asked
// (Chromium's H.264 once in minutes), while everything downstream starts at keyframes: the GOP
// cache a late viewer gets at once, HLS segments, recording segments. A sender that makes
// keyframes often enough by itself is never asked.
//
// Sans-I/O: times are passed in. One thread only.
class KeyframeScheduler {
 public:
  explicit KeyframeScheduler(std::chrono::milliseconds maxInterval) : maxInterval_(maxInterval) {}

  // A keyframe arrived at now, whatever asked for it.
  void onKeyframe(base::SteadyTime now) { last_ = now; }
  // True when neither a keyframe arrived nor this said true in the last maxInterval: ask now
  // (an unanswered request is repeated maxInterval later). The interval starts at the first call.
  bool due(base::SteadyTime now);

 private:
  std::chrono::milliseconds maxInterval_;
  std::optional<base::SteadyTime> last_;  // the later of the last keyframe and the last `true`
};

}  // namespace ocellus::rtp
