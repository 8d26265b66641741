#include "common/ReplayedCamera.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <future>

namespace ocellus::bench {

// The timer's state, shared with its pending wait so that it outlives a camera stopped while a
// tick is queued. Loop only, after construction.
class ReplayedCamera::Player : public std::enable_shared_from_this<Player> {
 public:
  Player(const PatternClip& clip, std::shared_ptr<media::Stream> stream, std::function<void()> onPublished)
      : clip_(clip),
        stream_(std::move(stream)),
        onPublished_(std::move(onPublished)),
        period_(std::chrono::microseconds(1'000'000 / clip.fps)),
        timer_(stream_->loop()) {}

  void start(std::chrono::microseconds phase) {
    next_ = std::chrono::steady_clock::now() + phase;
    wait();
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    timer_.cancel();
    stream_->end();
  }

 private:
  void wait() {
    timer_.expires_at(next_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec && !self->stopped_) self->tick();
    });
  }

  void tick() {
    const auto& source = clip_.units[frame_ % clip_.units.size()];
    auto unit = media::UnitPool::forThisThread().acquire();
    unit->pts = unit->dts = static_cast<std::int64_t>(frame_) * (90'000 / clip_.fps);
    unit->keyframe = source->keyframe;
    unit->received = std::chrono::steady_clock::now();
    unit->data = source->data;
    stream_->publish(std::move(unit));
    if (onPublished_) onPublished_();
    ++frame_;
    // On the schedule, not `period_` after this tick: a late tick is followed by early ones.
    next_ += period_;
    wait();
  }

  const PatternClip& clip_;
  const std::shared_ptr<media::Stream> stream_;
  const std::function<void()> onPublished_;
  const std::chrono::steady_clock::duration period_;
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point next_;
  std::uint64_t frame_ = 0;
  bool stopped_ = false;
};

ReplayedCamera::ReplayedCamera(const PatternClip& clip, io::IoContext& loop, std::string path,
                               std::chrono::microseconds phase, std::function<void()> onPublished)
    : stream_(std::make_shared<media::Stream>(std::move(path), loop, std::vector<media::TrackInfo>{clip.track},
                                              "bench replay")),
      player_(std::make_shared<Player>(clip, stream_, std::move(onPublished))) {
  boost::asio::post(loop, [player = player_, phase] { player->start(phase); });
}

ReplayedCamera::~ReplayedCamera() { stop(); }

void ReplayedCamera::stop() {
  if (stream_->loop().get_executor().running_in_this_thread()) {
    player_->stop();
    return;
  }
  // Waits, so that no tick (and no onPublished) runs once stop() has returned.
  std::promise<void> stopped;
  boost::asio::post(stream_->loop(), [&] {
    player_->stop();
    stopped.set_value();
  });
  stopped.get_future().wait();
}

}  // namespace ocellus::bench
