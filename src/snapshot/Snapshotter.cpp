#include "snapshot/Snapshotter.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "snapshot/GopDecoder.h"
#include "snapshot/JpegEncoder.h"

namespace ocellus::snapshot {

// One decode in flight for a stream and width, and the requests waiting for it. Lives on one
// worker loop; the Snapshotter's map is its only owner, everything else holds a weak_ptr.
struct Snapshotter::Job {
  Job(Key k, std::shared_ptr<media::Stream> s, int w, io::IoContext& l, base::SteadyTime d)
      : key(k), stream(std::move(s)), width(w), loop(l), timer(l), deadline(d) {}

  const Key key;
  const std::shared_ptr<media::Stream> stream;
  const int width;
  io::IoContext& loop;
  // While a GOP copy is asked for: the deadline. While waiting for a keyframe: the next ask.
  boost::asio::steady_timer timer;
  const base::SteadyTime deadline;
  std::vector<SnapshotDone> waiters;  // guarded by Snapshotter::mutex_
};

Snapshotter::Snapshotter(Options options)
    : options_(options), workers_(static_cast<std::size_t>(std::max(1, options.threads)), "snapshot") {
  workers_.start();
}

Snapshotter::~Snapshotter() {
  {
    std::lock_guard lock(gate_->mutex);
    gate_->open = false;
  }
  workers_.stop();
  std::map<Key, std::shared_ptr<Job>> pending;
  {
    std::lock_guard lock(mutex_);
    pending.swap(jobs_);
  }
  for (auto& entry : pending) {
    for (auto& done : entry.second->waiters) {
      done(base::makeError(base::ErrorCode::Closed,
                           "snapshots stopped before " + entry.second->stream->path() + " had a picture"));
    }
  }
}

void Snapshotter::answerSoon(SnapshotDone done, base::Error error) {
  boost::asio::post(workers_.next(), [done = std::move(done), error = std::move(error)] { done(error); });
}

void Snapshotter::take(std::shared_ptr<media::Stream> stream, int width, SnapshotDone done) {
  if (width != 0 && (width < kMinWidth || width > kMaxWidth)) {
    return answerSoon(std::move(done),
                      base::makeError(base::ErrorCode::InvalidArgument,
                                      fmt::format("snapshot width must be {}..{} (or 0 for the "
                                                  "stream's own), not {}",
                                                  kMinWidth, kMaxWidth, width)));
  }
  const int video = stream->videoTrack();
  const auto videoCodec = video < 0 ? std::nullopt : std::optional(stream->tracks()[video].codec);
  if (!videoCodec || !GopDecoder::decodes(*videoCodec)) {
    const std::string has = videoCodec ? std::string(codec::codecName(*videoCodec)) : "no video track";
    return answerSoon(std::move(done),
                      base::makeError(base::ErrorCode::Unsupported, "snapshots need H.264, H.265, VP8, VP9 or AV1 video; " +
                                                                        stream->path() + " has " + has));
  }
  if (const auto& lib = sources::ffmpeg::library(); !lib) return answerSoon(std::move(done), lib.error());

  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    const Key key{stream.get(), width};
    auto& slot = jobs_[key];
    if (slot) {
      slot->waiters.push_back(std::move(done));
      return;
    }
    slot = job = std::make_shared<Job>(key, std::move(stream), width, workers_.next(),
                                       base::Clock::system().now() + options_.keyframeTimeout);
    job->waiters.push_back(std::move(done));
  }
  boost::asio::post(job->loop, [this, weak = std::weak_ptr(job)] {
    if (auto j = weak.lock()) requestGop(j);
  });
}

void Snapshotter::requestGop(const std::shared_ptr<Job>& job) {
  std::weak_ptr<Job> weak = job;
  job->timer.expires_at(job->deadline);
  job->timer.async_wait([this, weak](const boost::system::error_code& ec) {
    if (auto j = weak.lock(); j && !ec) onTimer(j);
  });
  // The answer comes on the stream's loop: hand it to the job's worker, unless the workers are
  // gone (the gate keeps the loop alive while posting to it).
  job->stream->copyGop([this, gate = gate_, loop = &job->loop, weak](media::Stream::GopCopy gop) {
    std::lock_guard lock(gate->mutex);
    if (!gate->open) return;
    boost::asio::post(*loop, [this, weak, gop = std::move(gop)]() mutable {
      if (auto j = weak.lock()) onGop(j, std::move(gop));
    });
  });
}

void Snapshotter::onTimer(const std::shared_ptr<Job>& job) {
  if (base::Clock::system().now() < job->deadline) return requestGop(job);
  finish(job, base::makeError(base::ErrorCode::Timeout,
                              fmt::format("no picture from {} within {:g} s", job->stream->path(),
                                          std::chrono::duration<double>(options_.keyframeTimeout).count())));
}

void Snapshotter::onGop(const std::shared_ptr<Job>& job, media::Stream::GopCopy gop) {
  const auto& path = job->stream->path();
  if (gop.ended) {
    return finish(job, base::makeError(base::ErrorCode::Closed, path + " ended before a picture was taken"));
  }
  const auto now = base::Clock::system().now();
  if (gop.units.empty()) {
    // No keyframe cached yet: ask again a little later (replacing the deadline wait; the
    // timer's handler then notices the deadline).
    job->timer.expires_at(std::min(now + kKeyframePoll, job->deadline));
    job->timer.async_wait([this, weak = std::weak_ptr(job)](const boost::system::error_code& ec) {
      if (auto j = weak.lock(); j && !ec) onTimer(j);
    });
    return;
  }
  decodes_.fetch_add(1, std::memory_order_relaxed);
  const auto video = static_cast<std::uint32_t>(job->stream->videoTrack());
  auto picture = GopDecoder::decodeNewest(gop.tracks[video], video, gop.units, path);
  if (!picture) return finish(job, picture.error());
  const auto decoded = base::Clock::system().now();
  auto jpeg = JpegEncoder::encode(*picture->frame, job->width, options_.jpegQuality);
  if (jpeg) {
    const auto encoded = base::Clock::system().now();
    jpeg->frameTime = base::Clock::system().wallNow() - (encoded - picture->received);
    using Ms = std::chrono::duration<double, std::milli>;
    log_.debug("{}: {}x{} JPEG of {} bytes; {} units decoded in {:.1f} ms, encoded in {:.1f} ms", path,
               jpeg->width, jpeg->height, jpeg->bytes.size(), gop.units.size(), Ms(decoded - now).count(),
               Ms(encoded - decoded).count());
  }
  finish(job, std::move(jpeg));
}

void Snapshotter::finish(const std::shared_ptr<Job>& job, base::Result<Jpeg> result) {
  job->timer.cancel();
  std::vector<SnapshotDone> waiters;
  {
    std::lock_guard lock(mutex_);
    waiters.swap(job->waiters);
    jobs_.erase(job->key);
  }
  if (!result) log_.debug("{}", result.error().describe());
  for (std::size_t i = 0; i < waiters.size(); ++i) {
    waiters[i](i + 1 == waiters.size() ? std::move(result) : result);
  }
}

}  // namespace ocellus::snapshot
