#include "sources/DemoSource.h"

#include <boost/asio/post.hpp>
#include <pthread.h>

#include <vector>

#include "sources/testpattern/PatternEncoder.h"

namespace ocellus::sources {

struct DemoSource::Impl {
  Impl(media::StreamRegistry& r, io::IoContext& l, Options o)
      : registry(r), loop(l), options(std::move(o)), log(base::Logger("demo").child(options.path)) {}

  media::StreamRegistry& registry;
  io::IoContext& loop;
  Options options;
  base::Logger log;
  std::unique_ptr<testpattern::PatternEncoder> encoder;
  std::shared_ptr<media::Stream> stream;
  std::thread thread;
  std::atomic<bool> running{false};
  std::atomic<bool> keyframeWanted{false};  // a viewer asked (Stream::requestKeyframe)

  // Renders and encodes one frame showing the wall clock; each access unit goes to `onUnit`.
  base::Status produce(const std::function<void(media::MutableUnitPtr)>& onUnit) {
    return encoder->encodeNext(static_cast<std::uint64_t>(base::wallMillis(base::Clock::system().wallNow())),
                               base::Clock::system().now(), onUnit);
  }

  void run() {
    pthread_setname_np(pthread_self(), "demo-encoder");
    const auto period = std::chrono::nanoseconds(1'000'000'000LL / options.fps);
    auto next = std::chrono::steady_clock::now();
    while (running.load(std::memory_order_acquire)) {
      next += period;
      if (keyframeWanted.exchange(false, std::memory_order_acq_rel)) encoder->requestKeyframe();
      auto status = produce([this](media::MutableUnitPtr unit) {
        boost::asio::post(loop, [s = stream, u = std::move(unit)]() mutable { s->publish(std::move(u)); });
      });
      if (!status) log.warn("encoding failed: {}", status.error().describe());
      const auto now = std::chrono::steady_clock::now();
      if (next < now - period * 5) next = now;  // fell far behind (a stalled machine): do not burst
      std::this_thread::sleep_until(next);
    }
  }
};

DemoSource::DemoSource(media::StreamRegistry& registry, io::IoContext& loop, Options options)
    : impl_(std::make_unique<Impl>(registry, loop, std::move(options))) {}

DemoSource::~DemoSource() { stop(); }

base::Status DemoSource::start() {
  auto& d = *impl_;
  auto encoder = testpattern::PatternEncoder::create(
      {.width = d.options.width, .height = d.options.height, .fps = d.options.fps, .bitrateKbps = d.options.bitrateKbps});
  if (!encoder) return encoder.error();
  d.encoder = std::move(encoder).value();

  // The first access unit is an IDR with SPS and PPS: they describe the track.
  std::vector<media::MutableUnitPtr> first;
  OCELLUS_TRY(d.produce([&](media::MutableUnitPtr u) { first.push_back(std::move(u)); }));
  if (first.empty()) return base::makeError(base::ErrorCode::Internal, "the demo encoder's first frame is missing");
  auto track = testpattern::PatternEncoder::describe(*first.front(), d.options.fps);
  if (!track) return track.error();
  auto stream = d.registry.publish(d.options.path, d.loop, {track.value()}, "demo test pattern");
  if (!stream) return stream.error();
  d.stream = std::move(stream).value();
  // Runs on the stream's loop; the encoder thread picks it up before its next frame.
  d.stream->setKeyframeRequester([&d] { d.keyframeWanted.store(true, std::memory_order_release); });
  for (auto& u : first) {
    boost::asio::post(d.loop, [s = d.stream, u = std::move(u)]() mutable { s->publish(std::move(u)); });
  }
  d.running = true;
  d.thread = std::thread([&d] { d.run(); });
  d.log.info("{}x{} at {} fps, {} kbit/s, H.264 Constrained Baseline", d.options.width, d.options.height,
             d.options.fps, d.options.bitrateKbps);
  return {};
}

void DemoSource::stop() {
  auto& d = *impl_;
  if (!d.running.exchange(false)) return;
  if (d.thread.joinable()) d.thread.join();
  d.registry.unpublish(d.stream);
  d.stream.reset();
}

}  // namespace ocellus::sources
