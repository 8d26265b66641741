#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <thread>

#include "base/Histogram.h"
#include "io/FileSystem.h"

namespace ocellus::record {

// The one thread that writes every recording of the server (DESIGN §5): file creation,
// appends, fsync and close all happen here, through io::FileSystem, so a slow or failing disk
// never stalls a media loop. Media loops hand it jobs with post().
//
// The queue is bounded in bytes: a job that carries data (a fragment) is refused when the
// bytes queued would pass maxQueuedBytes, so when the disk is slower than the input whole
// fragments are dropped (the caller counts and logs them) instead of memory growing without
// bound or a media loop blocking. Jobs without data (create, close) are always queued.
//
// Lifetime: one per server, created before and stopped after every Recorder that uses it.
// Thread-safe.
struct DiskWriterOptions {
  std::size_t maxQueuedBytes = 64 << 20;
};

class DiskWriter {
 public:
  struct Stats {
    std::uint64_t bytesWritten = 0;
    std::uint64_t fragmentsWritten = 0;
    std::uint64_t fragmentsDropped = 0;  // refused by the queue bound
    std::size_t queuedBytes = 0;
  };

  // Starts the thread.
  explicit DiskWriter(io::FileSystem& fs, DiskWriterOptions options = {});
  ~DiskWriter();
  DiskWriter(const DiskWriter&) = delete;
  DiskWriter& operator=(const DiskWriter&) = delete;

  // Runs what is queued, then joins the thread. Idempotent; later posts are refused.
  void stop();

  // Queues `job` to run on the writer thread, jobs running in the order posted. `bytes` count
  // against maxQueuedBytes until the job has run. False (job dropped unrun, counted when it
  // carried bytes) when the bound would be passed or the writer has stopped.
  bool post(std::size_t bytes, std::function<void()> job);

  // --- writer thread (jobs) ---
  io::FileSystem& fs() { return fs_; }
  // A fragment that landed on disk, and how long its append (+ sync) took.
  void countWrite(std::uint64_t bytes, std::chrono::microseconds latency);

  // --- any thread ---
  Stats stats() const;
  // Append (+ sync) time of each fragment written, since the start (for /metrics and benchmarks).
  const base::Histogram& writeLatency() const { return writeLatency_; }

 private:
  io::FileSystem& fs_;
  const DiskWriterOptions options_;
  boost::asio::io_context context_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
  std::atomic<bool> stopped_{false};
  std::atomic<std::size_t> queued_{0};
  std::atomic<std::uint64_t> bytesWritten_{0};
  std::atomic<std::uint64_t> fragmentsWritten_{0};
  std::atomic<std::uint64_t> fragmentsDropped_{0};
  base::Histogram writeLatency_;
};

}  // namespace ocellus::record
