#include "record/SegmentWriter.h"

namespace ocellus::record {

using std::chrono::microseconds;

std::shared_ptr<SegmentWriter> SegmentWriter::open(DiskWriter& writer, Info info, std::vector<std::uint8_t> init,
                                               SegmentListener listener, base::Logger log) {
  auto file = std::make_shared<SegmentWriter>(writer, std::move(info), std::move(listener), std::move(log));
  writer.post(0, [file, init = std::move(init)] { file->create(init); });
  return file;
}

SegmentWriter::SegmentWriter(DiskWriter& writer, Info info, SegmentListener listener, base::Logger log)
    : writer_(writer), info_(std::move(info)), listener_(std::move(listener)), log_(std::move(log)), endMs_(info_.startMs) {}

bool SegmentWriter::append(std::vector<std::uint8_t> fragment, microseconds duration, std::int64_t endMs) {
  const std::size_t size = fragment.size();
  return writer_.post(size, [self = shared_from_this(), fragment = std::move(fragment), duration, endMs] {
    self->write(fragment, duration, endMs);
  });
}

void SegmentWriter::close(std::function<void()> done) {
  writer_.post(0, [self = shared_from_this(), done = std::move(done)] {
    self->finish();
    if (done) done();
  });
}

SegmentEvent SegmentWriter::event(SegmentEvent::Type type) const {
  SegmentEvent e;
  e.type = type;
  e.path = info_.path;
  e.startMs = info_.startMs;
  e.endMs = endMs_;
  e.bytes = file_ ? file_->size() : 0;
  e.durationMs = std::chrono::round<std::chrono::milliseconds>(duration_).count();
  e.codecs = info_.codecs;
  return e;
}

void SegmentWriter::fail(const std::string& error) {
  log_.error("recording file {} failed: {}", info_.path, error);
  auto e = event(SegmentEvent::Type::Failed);
  e.error = error;
  failed_.store(true, std::memory_order_release);
  if (file_) (void)file_->close();  // the first error is the one to report
  file_.reset();
  if (listener_) listener_(e);
}

void SegmentWriter::create(const std::vector<std::uint8_t>& init) {
  if (failed()) return;
  auto made = writer_.fs().create(info_.root + "/" + info_.path);
  if (!made) return fail(made.error().message);
  file_ = std::move(made).value();
  if (auto written = file_->append(init); !written) return fail(written.error().message);
  if (listener_) listener_(event(SegmentEvent::Type::Opened));
}

void SegmentWriter::write(const std::vector<std::uint8_t>& fragment, microseconds duration, std::int64_t endMs) {
  if (failed() || !file_) return;
  const auto begin = std::chrono::steady_clock::now();
  if (auto written = file_->append(fragment); !written) return fail(written.error().message);
  if (info_.fsync == FsyncPolicy::Fragment) {
    if (auto synced = file_->sync(); !synced) return fail(synced.error().message);
  }
  const auto latency = std::chrono::duration_cast<microseconds>(std::chrono::steady_clock::now() - begin);
  writer_.countWrite(fragment.size(), latency);
  fragments_.fetch_add(1, std::memory_order_relaxed);
  endMs_ = endMs;
  duration_ += duration;
  auto e = event(SegmentEvent::Type::Progress);
  e.writeLatency = latency;
  if (listener_) listener_(e);
}

void SegmentWriter::finish() {
  if (failed() || !file_) return;
  if (info_.fsync != FsyncPolicy::None) {
    if (auto synced = file_->sync(); !synced) return fail(synced.error().message);
  }
  const auto e = event(SegmentEvent::Type::Closed);
  if (auto closed = file_->close(); !closed) return fail(closed.error().message);
  file_.reset();
  if (listener_) listener_(e);
}

}  // namespace ocellus::record
