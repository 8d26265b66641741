#include "record/Recorder.h"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "record/SegmentPath.h"

namespace ocellus::record {

using std::chrono::microseconds;
using std::chrono::milliseconds;

// The reader a stream holds: it forwards to the recorder while the recorder wants this stream,
// so calls from a stream let go earlier (already posted to the loop) are recognised and ignored.
class Recorder::Attachment final : public media::Reader {
 public:
  Attachment(std::weak_ptr<Recorder> recorder, std::shared_ptr<media::Stream> stream)
      : stream(std::move(stream)), recorder_(std::move(recorder)) {}

  void onUnit(const media::UnitPtr& unit) override {
    if (auto r = recorder_.lock()) r->onUnit(*this, *unit);
  }
  void onStreamEnd() override {
    if (auto r = recorder_.lock()) r->onStreamEnd(*this);
  }

  const std::shared_ptr<media::Stream> stream;

 private:
  std::weak_ptr<Recorder> recorder_;
};

base::Result<std::shared_ptr<Recorder>> Recorder::create(RecorderOptions options, io::IoContext& loop,
                                                         DiskWriter& writer, const base::Clock& clock,
                                                         SegmentListener listener) {
  OCELLUS_TRY(checkCameraId(options.cameraId));
  if (options.fragmentLength <= milliseconds(0)) {
    return base::makeError(base::ErrorCode::InvalidArgument, "a recording fragment must last more than 0 ms");
  }
  return std::make_shared<Recorder>(std::move(options), loop, writer, clock, std::move(listener));
}

Recorder::Recorder(RecorderOptions options, io::IoContext& loop, DiskWriter& writer, const base::Clock& clock,
                   SegmentListener listener)
    : options_(std::move(options)),
      loop_(loop),
      writer_(writer),
      clock_(clock),
      listener_(std::move(listener)),
      log_(options_.session ? base::Logger("record").child(options_.cameraId).child("session")
                            : base::Logger("record").child(options_.cameraId)) {}

void Recorder::attach(std::shared_ptr<media::Stream> stream) {
  boost::asio::post(loop_, [self = shared_from_this(), stream = std::move(stream)]() mutable {
    self->begin(std::move(stream));
  });
}

void Recorder::stop(std::function<void()> done) {
  boost::asio::post(loop_, [self = shared_from_this(), done = std::move(done)]() mutable { self->end(std::move(done)); });
}

RecorderStats Recorder::stats() const {
  return RecorderStats{unitsDropped_.load(std::memory_order_relaxed), fragmentsDropped_.load(std::memory_order_relaxed),
                       filesOpened_.load(std::memory_order_relaxed), failures_.load(std::memory_order_relaxed)};
}

void Recorder::begin(std::shared_ptr<media::Stream> stream) {
  if (stopped_ || (attachment_ && attachment_->stream == stream)) return;
  detach();
  attachment_ = std::make_shared<Attachment>(weak_from_this(), stream);
  log_.info("recording {} ({})", stream->path(), stream->source());
  layout(stream->tracks());
  stream->addReader(attachment_, loop_);
}

void Recorder::end(std::function<void()> done) {
  if (!stopped_) log_.info("recording stopped");
  stopped_ = true;
  if (attachment_) attachment_->stream->removeReader(attachment_, loop_);
  attachment_.reset();
  closeFile(nullptr, std::move(done));
}

void Recorder::detach() {
  if (!attachment_) return;
  attachment_->stream->removeReader(attachment_, loop_);
  attachment_.reset();
  closeFile(nullptr);
}

void Recorder::layout(const std::vector<media::TrackInfo>& tracks) {
  auto made = bridge::Fmp4Tracks::create(tracks, log_, bridge::Fmp4Tracks::Klv::Keep);
  if (!made) {
    tracks_.reset();
    // Parameter sets may come in-band: tried again at each keyframe, logged once per reason.
    if (made.error().message != layoutError_) log_.warn("nothing to record yet: {}", made.error().message);
    layoutError_ = made.error().message;
    return;
  }
  layoutError_.clear();
  tracks_.emplace(std::move(made).value());
  if (tracks_->describes(warnedLayout_)) return;
  warnedLayout_ = tracks;
  for (const auto& s : tracks_->skipped()) {
    log_.warn("track {} ({}) is not recorded: {}", s.track, codec::codecName(s.codec), s.reason);
  }
  log_.info("recording tracks {}", tracks_->codecs());
}

void Recorder::renew() {
  // The same tracks for the next file: its own muxer, numbering and decode times from 0.
  auto made = bridge::Fmp4Tracks::create(tracks_->tracks(), log_, bridge::Fmp4Tracks::Klv::Keep);
  if (made) {
    tracks_.emplace(std::move(made).value());
  } else {
    tracks_.reset();
  }
}

void Recorder::onUnit(const Attachment& from, const media::Unit& unit) {
  if (&from != attachment_.get()) return;
  if (retryAt_) {
    if (clock_.now() < *retryAt_) {
      unitsDropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    retryAt_.reset();
  }
  const auto& stream = *attachment_->stream;
  if (unit.keyframe && (!tracks_ || static_cast<int>(unit.track) == stream.videoTrack())) {
    // Parameter sets learned in-band make recording possible, or a new init segment necessary.
    auto current = stream.tracks();
    if (!tracks_ || !tracks_->describes(current)) {
      if (tracks_) log_.info("the stream's tracks changed: a new file starts");
      closeFile(&unit);
      layout(current);
    }
  }
  if (!tracks_) return;
  if (file_ && file_->failed()) {
    failed();
    unitsDropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (file_ && options_.segmentLength.count() > 0 && tracks_->isPrimaryKeyframe(unit)) {
    const auto elapsed = tracks_->elapsed(unit);
    if (elapsed && *elapsed >= options_.segmentLength) {
      closeFile(&unit);
      renew();
      if (!tracks_) return;
    }
  }
  const bool starting = !tracks_->start();
  const auto sample = tracks_->push(unit);
  if (!sample) return;
  if (starting) openFile(unit.received);
  if (sample->primary) cutIfDue(sample->keyframe);
}

void Recorder::onStreamEnd(const Attachment& from) {
  if (&from != attachment_.get()) return;
  log_.info("{} ended: the file is closed", attachment_->stream->path());
  attachment_.reset();
  closeFile(nullptr);
}

void Recorder::openFile(base::SteadyTime received) {
  const auto wall = clock_.wallNow() - (clock_.now() - received);
  fileStartMs_ = std::max(base::wallMillis(wall), previousEndMs_);
  fileEnd_ = microseconds(0);
  dropToKeyframe_ = false;
  auto path = segmentPath(options_.cameraId, fileStartMs_, options_.session);
  SegmentWriter::Info info{options_.root, std::move(path).value(), fileStartMs_, tracks_->codecs(), options_.fsync};
  log_.debug("new file {}", info.path);
  file_ = SegmentWriter::open(writer_, std::move(info), tracks_->muxer().initSegment(), listener_, log_);
  filesOpened_.fetch_add(1, std::memory_order_relaxed);
}

void Recorder::cutIfDue(bool keyframe) {
  const auto& muxer = tracks_->muxer();
  const std::size_t primary = muxer.primaryTrack();
  if (muxer.readyCount(primary) == 0) return;
  const microseconds ready = tracks_->toMicros(muxer.readyDuration(primary));
  // Before a keyframe, so the next fragment starts with it; or, with keyframes far apart,
  // anywhere, so a crash never loses much more than a fragment.
  if ((keyframe && ready >= options_.fragmentLength) || ready >= 2 * options_.fragmentLength) writeFragment();
}

void Recorder::writeFragment() {
  auto out = tracks_->muxer().flush();
  if (!out) {
    log_.warn("fMP4 fragment not written: {}", out.error().message);
    return;
  }
  fileEnd_ = tracks_->toMicros(out->startTime + out->duration);
  if (file_->fragmentsWritten() > 0) backoff_ = kFirstRetry;
  // After a dropped fragment, those that depend on it go too.
  if (dropToKeyframe_ && !out->independent) {
    fragmentsDropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto endMs = fileStartMs_ + std::chrono::round<milliseconds>(fileEnd_).count();
  if (!file_->append(std::move(out->bytes), tracks_->toMicros(out->duration), endMs)) {
    fragmentsDropped_.fetch_add(1, std::memory_order_relaxed);
    dropToKeyframe_ = true;
    if (const auto n = dropLog_.allow(clock_.now())) {
      log_.warn("the disk is too slow: {} fragment(s) dropped (the writer's queue is full)", n);
    }
    return;
  }
  dropToKeyframe_ = false;
}

void Recorder::closeFile(const media::Unit* successor, std::function<void()> done) {
  if (file_) {
    tracks_->finish(successor);
    if (tracks_->muxer().hasReady()) writeFragment();
    file_->close(std::move(done));
    previousEndMs_ = endOfFile();
    file_.reset();
  } else if (done) {
    writer_.post(0, std::move(done));
  }
}

std::int64_t Recorder::endOfFile() const {
  // The next file starts after this one, and never with the same name.
  return std::max(fileStartMs_ + std::chrono::round<milliseconds>(fileEnd_).count(), fileStartMs_ + 1);
}

void Recorder::failed() {
  failures_.fetch_add(1, std::memory_order_relaxed);
  log_.warn("{} failed: next file in {} s", file_->info().path, backoff_.count());
  file_->close({});
  previousEndMs_ = endOfFile();
  file_.reset();
  renew();
  retryAt_ = clock_.now() + backoff_;
  backoff_ = std::min(backoff_ * 2, std::chrono::seconds(kMaxRetry));
}

}  // namespace ocellus::record
