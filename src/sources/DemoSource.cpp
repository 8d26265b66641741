#include "sources/DemoSource.h"

#include <boost/asio/post.hpp>
#include <pthread.h>

#include <vector>

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"
#include "codec/h264/Nal.h"
#include "codec/h264/Sps.h"
#include "sources/testpattern/H264Encoder.h"
#include "sources/testpattern/Renderer.h"

namespace ocellus::sources {

struct DemoSource::Impl {
  Impl(media::StreamRegistry& r, io::IoContext& l, Options o)
      : registry(r), loop(l), options(std::move(o)), log(base::Logger("demo").child(options.path)) {}

  media::StreamRegistry& registry;
  io::IoContext& loop;
  Options options;
  base::Logger log;
  std::unique_ptr<testpattern::H264Encoder> encoder;
  std::optional<testpattern::Renderer> renderer;
  std::vector<std::uint8_t> frame;
  std::shared_ptr<media::Stream> stream;
  std::thread thread;
  std::atomic<bool> running{false};
  std::atomic<bool> keyframeWanted{false};  // a viewer asked (Stream::requestKeyframe)
  std::uint64_t frameNumber = 0;

  // Renders and encodes one frame; each access unit goes to `onUnit` in canonical form.
  base::Status produce(const std::function<void(media::MutableUnitPtr)>& onUnit) {
    const auto now = base::Clock::system().now();
    renderer->render(frame, frameNumber, static_cast<std::uint64_t>(base::wallMillis(base::Clock::system().wallNow())));
    const std::int64_t pts = static_cast<std::int64_t>(frameNumber) * 90000 / options.fps;
    ++frameNumber;
    return encoder->encode(frame.data(), pts, [&](std::span<const std::uint8_t> annexB, std::int64_t p, bool key) {
      auto unit = media::UnitPool::forThisThread().acquire();
      unit->track = 0;
      unit->pts = unit->dts = p;
      unit->keyframe = key;
      unit->received = now;
      codec::annexBToCanonical(annexB, unit->data);
      onUnit(std::move(unit));
    });
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
  auto renderer = testpattern::Renderer::create(d.options.width, d.options.height);
  if (!renderer) return renderer.error();
  d.renderer = std::move(renderer).value();
  d.frame.resize(d.renderer->frameSize());
  auto encoder = testpattern::H264Encoder::create(
      {.width = d.options.width, .height = d.options.height, .fps = d.options.fps, .bitrateKbps = d.options.bitrateKbps});
  if (!encoder) return encoder.error();
  d.encoder = std::move(encoder).value();

  // The first access unit is an IDR with SPS and PPS: they describe the track.
  std::vector<media::MutableUnitPtr> first;
  OCELLUS_TRY(d.produce([&](media::MutableUnitPtr u) { first.push_back(std::move(u)); }));
  media::TrackInfo track;
  track.codec = codec::CodecId::H264;
  track.fps = d.options.fps;
  for (const auto& u : first) {
    for (auto nal : codec::NalUnits(u->data)) {
      const auto type = codec::h264::nalType(nal[0]);
      if (type == codec::h264::NalType::Sps) {
        track.sps.assign(nal.begin(), nal.end());
        if (auto sps = codec::h264::Sps::parse(nal)) {
          track.width = static_cast<int>(sps->width);
          track.height = static_cast<int>(sps->height);
        }
      } else if (type == codec::h264::NalType::Pps) {
        track.pps.assign(nal.begin(), nal.end());
      }
    }
  }
  if (track.sps.empty() || track.pps.empty()) {
    return base::makeError(base::ErrorCode::Internal, "the demo encoder's first frame carries no SPS/PPS");
  }
  auto stream = d.registry.publish(d.options.path, d.loop, {track}, "demo test pattern");
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
