#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/PatternClip.h"
#include "io/IoContextPool.h"
#include "media/Stream.h"

namespace ocellus::bench {

// A camera that replays a PatternClip into its own media::Stream in real time: one unit per
// frame period from a timer on the stream's loop, timestamps running on (pts = dts = frame
// number in 90 kHz), received = now, the clip looping — what a camera's ingest hands a stream,
// without an encoder or a socket per camera, so many of them cost little besides the stream.
//
// Threading: the stream and the timer live on `loop`; the constructor and stop() may be called
// from any thread, stop() (and so the destructor) while the loop runs. The clip must outlive
// the camera.
class ReplayedCamera {
 public:
  // Publishes the first unit `phase` from now (spreads many cameras over the frame period, as
  // independent cameras are). `onPublished` (may be empty) runs on the loop after each unit.
  ReplayedCamera(const PatternClip& clip, io::IoContext& loop, std::string path,
                 std::chrono::microseconds phase = {}, std::function<void()> onPublished = {});
  ~ReplayedCamera();
  ReplayedCamera(const ReplayedCamera&) = delete;
  ReplayedCamera& operator=(const ReplayedCamera&) = delete;

  // Stops publishing and ends the stream; when it returns, no unit and no onPublished follow.
  // Blocks until the loop has run it, unless called on the loop. Idempotent.
  void stop();
  const std::shared_ptr<media::Stream>& stream() const { return stream_; }

 private:
  class Player;
  std::shared_ptr<media::Stream> stream_;
  std::shared_ptr<Player> player_;
};

}  // namespace ocellus::bench
