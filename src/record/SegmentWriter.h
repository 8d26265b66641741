#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/Log.h"
#include "io/FileSystem.h"
#include "record/DiskWriter.h"
#include "record/SegmentEvent.h"

namespace ocellus::record {

// One recording file: a Recorder on its media loop asks for it to be created, appended to and
// closed; each request runs later as a job on the DiskWriter's thread, which owns the
// io::WritableFile and reports every step to the listener (SegmentEvent). The file is an fMP4
// init segment followed by fragments, so whatever reached the disk before a crash stays
// playable.
//
// A create, append, sync or close error reports Failed (naming the file and the reason),
// closes what it can and turns every later request into a no-op; failed() lets the recorder
// see it from its loop and start a new file after a backoff.
//
// Ownership: shared by the recorder and the jobs queued for it; the writer must outlive it.
class SegmentWriter : public std::enable_shared_from_this<SegmentWriter> {
 public:
  struct Info {
    std::string root;       // the recordings folder
    std::string path;       // relative to root, '/'-separated
    std::int64_t startMs = 0;
    std::string codecs;
    FsyncPolicy fsync = FsyncPolicy::Fragment;
  };

  // --- the recorder's loop ---
  // Queues the file's creation with its init segment (never refused by the queue bound).
  static std::shared_ptr<SegmentWriter> open(DiskWriter& writer, Info info, std::vector<std::uint8_t> init,
                                           SegmentListener listener, base::Logger log);
  // Queues one fragment that ends `endMs` (wall clock) and holds `duration` of media. False when
  // the writer's queue is full: the fragment is dropped.
  bool append(std::vector<std::uint8_t> fragment, std::chrono::microseconds duration, std::int64_t endMs);
  // Queues the close; `done` (may be empty) runs on the writer thread after the Closed or Failed
  // event. No request may follow.
  void close(std::function<void()> done);

  // --- any thread ---
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  std::uint64_t fragmentsWritten() const { return fragments_.load(std::memory_order_relaxed); }
  const Info& info() const { return info_; }

  SegmentWriter(DiskWriter& writer, Info info, SegmentListener listener, base::Logger log);

 private:
  // Writer thread only.
  void create(const std::vector<std::uint8_t>& init);
  void write(const std::vector<std::uint8_t>& fragment, std::chrono::microseconds duration, std::int64_t endMs);
  void finish();
  void fail(const std::string& error);
  SegmentEvent event(SegmentEvent::Type type) const;

  DiskWriter& writer_;
  const Info info_;
  const SegmentListener listener_;
  const base::Logger log_;
  std::atomic<bool> failed_{false};
  std::atomic<std::uint64_t> fragments_{0};

  // Writer thread only:
  std::unique_ptr<io::WritableFile> file_;
  std::int64_t endMs_ = 0;
  std::chrono::microseconds duration_{0};
};

}  // namespace ocellus::record
