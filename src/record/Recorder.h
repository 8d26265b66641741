#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Clock.h"
#include "base/Log.h"
#include "base/Result.h"
#include "bridge/Fmp4Tracks.h"
#include "io/IoContextPool.h"
#include "media/Stream.h"
#include "record/DiskWriter.h"
#include "record/SegmentEvent.h"
#include "record/SegmentWriter.h"

namespace ocellus::record {

struct RecorderOptions {
  std::string cameraId;
  std::string root;                                 // data_dir/recordings
  std::chrono::seconds segmentLength{600};          // 0: one file per attached stream (on-demand session)
  std::chrono::milliseconds fragmentLength{1000};
  FsyncPolicy fsync = FsyncPolicy::Fragment;
  bool session = false;                             // on-demand session: files under <camera>/sessions/
};

struct RecorderStats {
  std::uint64_t unitsDropped = 0;      // while waiting to retry after a failed file
  std::uint64_t fragmentsDropped = 0;  // the disk writer's queue was full (and what followed up to a keyframe)
  std::uint64_t filesOpened = 0;
  std::uint64_t failures = 0;          // files that failed
};

// One recording — a camera's continuous recording or one on-demand session — writing the
// streams attached to it as segmented fragmented MP4 files (DESIGN §5) through the DiskWriter.
// It outlives streams: the owner attaches each stream published on the camera's path.
//
// Threading: the recorder lives on one loop (`loop`, given at creation) and reads every stream
// from it (Stream::addReader with that loop), so all its state is touched there only. attach()
// and stop() may be called from any thread; they post to the loop. Nothing here blocks: the
// disk is touched only on the DiskWriter's thread, where the listener is called too.
//
// Files (record/SegmentPath.h): a file starts at a primary keyframe (the first video track,
// else the first track); video before the first keyframe is dropped. Its start time is the
// wall clock when its first sample was received, never earlier than the previous file's end,
// so times are monotonic across reconnects. A file ends when segmentLength of media has passed
// (at the next keyframe, which starts the next file), when the stream ends (a visible gap; the
// file stays valid), when the tracks change (new parameter sets need a new init segment), or
// on stop(). KLV is kept as a timed-metadata track (format/fmp4/InitSegment.h); tracks fMP4
// cannot carry (G.711) are left out with one warning.
//
// Fragments: cut before the first keyframe once fragmentLength of the primary track is ready,
// or at 2 × fragmentLength without one; synced per options.fsync. When the writer's queue is
// full a fragment is dropped (counted, logged at a limited rate) and so is every following one
// up to one that starts with a keyframe.
//
// Failures: when a file fails (SegmentEvent Failed), the recorder drops units (counted) and
// starts a new file at the first keyframe after a backoff of 1 s, doubling up to 30 s, back to
// 1 s once a fragment is written. It never throws and never blocks the media loop.
class Recorder : public std::enable_shared_from_this<Recorder> {
 public:
  static constexpr std::chrono::seconds kFirstRetry{1};
  static constexpr std::chrono::seconds kMaxRetry{30};

  // InvalidArgument for a camera id that cannot name a folder (record/SegmentPath.h).
  // `writer`, `clock` and `loop` must outlive the recorder.
  static base::Result<std::shared_ptr<Recorder>> create(RecorderOptions options, io::IoContext& loop,
                                                        DiskWriter& writer, const base::Clock& clock,
                                                        SegmentListener listener);

  // --- any thread ---
  // Starts reading `stream` (the camera's path was published). A stream attached before is
  // let go first, its file closed. Ignored after stop().
  void attach(std::shared_ptr<media::Stream> stream);
  // Lets the stream go and closes the current file. `done` (may be empty) runs on the writer's
  // thread once the file's Closed or Failed event has been delivered (at once if none is open).
  void stop(std::function<void()> done);
  RecorderStats stats() const;
  io::IoContext& loop() const { return loop_; }
  const RecorderOptions& options() const { return options_; }

  Recorder(RecorderOptions options, io::IoContext& loop, DiskWriter& writer, const base::Clock& clock,
           SegmentListener listener);

 private:
  class Attachment;

  // On loop_ only.
  void begin(std::shared_ptr<media::Stream> stream);
  void end(std::function<void()> done);
  void detach();
  void onUnit(const Attachment& from, const media::Unit& unit);
  void onStreamEnd(const Attachment& from);
  void layout(const std::vector<media::TrackInfo>& tracks);
  void renew();
  void openFile(base::SteadyTime received);
  void cutIfDue(bool keyframe);
  void writeFragment();
  void closeFile(const media::Unit* successor, std::function<void()> done = {});
  void failed();
  std::int64_t endOfFile() const;

  const RecorderOptions options_;
  io::IoContext& loop_;
  DiskWriter& writer_;
  const base::Clock& clock_;
  const SegmentListener listener_;
  const base::Logger log_;

  // On loop_ only:
  std::shared_ptr<Attachment> attachment_;
  std::optional<bridge::Fmp4Tracks> tracks_;  // the current (or next) file's muxer
  std::vector<media::TrackInfo> warnedLayout_;  // the layout whose left-out tracks were logged
  std::string layoutError_;                     // why the current layout cannot be recorded
  std::shared_ptr<SegmentWriter> file_;
  std::int64_t fileStartMs_ = 0;
  std::chrono::microseconds fileEnd_{0};        // media end of the last fragment cut
  std::int64_t previousEndMs_ = 0;
  bool dropToKeyframe_ = false;
  std::optional<base::SteadyTime> retryAt_;
  std::chrono::seconds backoff_ = kFirstRetry;
  bool stopped_ = false;
  base::RateLimiter dropLog_{std::chrono::seconds(10)};

  std::atomic<std::uint64_t> unitsDropped_{0};
  std::atomic<std::uint64_t> fragmentsDropped_{0};
  std::atomic<std::uint64_t> filesOpened_{0};
  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace ocellus::record
