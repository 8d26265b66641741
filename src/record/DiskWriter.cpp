#include "record/DiskWriter.h"

#include <pthread.h>

#include <boost/asio/post.hpp>

namespace ocellus::record {

DiskWriter::DiskWriter(io::FileSystem& fs, DiskWriterOptions options)
    : fs_(fs), options_(options), guard_(context_.get_executor()), thread_([this] {
        pthread_setname_np(pthread_self(), "record-disk");
        context_.run();
      }) {}

DiskWriter::~DiskWriter() { stop(); }

void DiskWriter::stop() {
  if (stopped_.exchange(true)) return;
  // Without the guard, run() returns once the queued jobs are done.
  guard_.reset();
  if (thread_.joinable()) thread_.join();
}

bool DiskWriter::post(std::size_t bytes, std::function<void()> job) {
  if (stopped_.load(std::memory_order_acquire)) return false;
  if (bytes > 0 && queued_.fetch_add(bytes, std::memory_order_relaxed) + bytes > options_.maxQueuedBytes) {
    queued_.fetch_sub(bytes, std::memory_order_relaxed);
    fragmentsDropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  boost::asio::post(context_, [this, bytes, job = std::move(job)] {
    job();
    queued_.fetch_sub(bytes, std::memory_order_relaxed);
  });
  return true;
}

void DiskWriter::countWrite(std::uint64_t bytes, std::chrono::microseconds latency) {
  bytesWritten_.fetch_add(bytes, std::memory_order_relaxed);
  fragmentsWritten_.fetch_add(1, std::memory_order_relaxed);
  writeLatency_.record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency.count())));
}

DiskWriter::Stats DiskWriter::stats() const {
  return Stats{bytesWritten_.load(std::memory_order_relaxed), fragmentsWritten_.load(std::memory_order_relaxed),
               fragmentsDropped_.load(std::memory_order_relaxed), queued_.load(std::memory_order_relaxed)};
}

}  // namespace ocellus::record
