#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "base/Log.h"
#include "base/Result.h"
#include "io/IoContextPool.h"
#include "media/Stream.h"
#include "snapshot/Jpeg.h"

namespace ocellus::snapshot {

// Called once per take(). Runs on one of the Snapshotter's worker threads, never inside take();
// requests still waiting for a picture when the Snapshotter is destroyed are answered by the
// destructor, on its thread, with ErrorCode::Closed (a refusal already queued for a worker is
// dropped uncalled). The callee may call take() again but must not destroy the Snapshotter,
// and should return quickly (post real work elsewhere): other snapshots wait.
using SnapshotDone = std::function<void(base::Result<Jpeg>)>;

// JPEG snapshots of live streams (DESIGN §5): decodes the stream's cached GOP from its keyframe
// to the newest picture (GopDecoder), scales and encodes it (JpegEncoder). Decoding takes tens
// of milliseconds, so it runs on the Snapshotter's own worker threads, never on a media loop or
// the control loop. Requests for the same stream and width that arrive while one is being
// answered share its decode and its result. Without a keyframe cached yet (a stream that just
// started, a GOP too long for the cache) it asks the stream again every kKeyframePoll, holding
// no thread, until Options::keyframeTimeout.
//
// Threading: take() and decodes() from any thread. Owns its workers: destroy it only after
// the streams' loops have stopped or while they run (pending copies of a GOP are dropped).
class Snapshotter {
 public:
  struct Options {
    int threads = 1;                                  // decodes that run at once
    std::chrono::milliseconds keyframeTimeout{5000};  // how long to wait for a first picture
    int jpegQuality = 4;                              // mjpeg quantizer scale, 2 (best) .. 31
  };

  static constexpr int kMinWidth = 16;
  static constexpr int kMaxWidth = 7680;
  static constexpr std::chrono::milliseconds kKeyframePoll{100};

  explicit Snapshotter(Options options);
  ~Snapshotter();
  Snapshotter(const Snapshotter&) = delete;
  Snapshotter& operator=(const Snapshotter&) = delete;

  // A JPEG of the stream's newest picture (`stream` not null; held until answered). width 0:
  // the stream's size; otherwise scaled to that width, keeping the aspect (even height).
  // Errors: InvalidArgument for a width outside 0 or [kMinWidth, kMaxWidth]; Unsupported for a
  // stream without video GopDecoder decodes (H.264, H.265, VP8, VP9, AV1) or an FFmpeg that cannot be loaded; Timeout when no
  // picture came within keyframeTimeout; Closed when the stream ended first; Malformed when
  // nothing in the GOP decodes.
  void take(std::shared_ptr<media::Stream> stream, int width, SnapshotDone done);

  // GOP decodes started so far (coalesced requests share one).
  std::uint64_t decodes() const { return decodes_.load(std::memory_order_relaxed); }

 private:
  struct Job;
  // Lets a stream's loop post back to a worker only while the workers exist.
  struct Gate {
    std::mutex mutex;
    bool open = true;  // guarded by mutex
  };
  using Key = std::pair<const media::Stream*, int>;  // stream, requested width

  void answerSoon(SnapshotDone done, base::Error error);
  void requestGop(const std::shared_ptr<Job>& job);
  void onGop(const std::shared_ptr<Job>& job, media::Stream::GopCopy gop);
  void onTimer(const std::shared_ptr<Job>& job);
  void finish(const std::shared_ptr<Job>& job, base::Result<Jpeg> result);

  const Options options_;
  const base::Logger log_{"snapshot"};
  io::IoContextPool workers_;  // destroyed last: jobs' timers live on its loops
  const std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::mutex mutex_;                          // guards jobs_ and their waiters; no I/O under it
  std::map<Key, std::shared_ptr<Job>> jobs_;  // in flight; the only owner of each job
  std::atomic<std::uint64_t> decodes_{0};
};

}  // namespace ocellus::snapshot
