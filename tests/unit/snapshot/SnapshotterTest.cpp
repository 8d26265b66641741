#include "snapshot/Snapshotter.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

#include <condition_variable>
#include <future>
#include <thread>

#include "sources/testpattern/PatternEncoder.h"
#include "sources/testpattern/TimestampCodec.h"
#include "unit/snapshot/JpegDecode.h"

namespace ocellus::snapshot {
namespace {

using sources::testpattern::PatternEncoder;
using sources::testpattern::TimestampCodec;

constexpr std::uint64_t kStartMillis = 1'700'000'000'000;

using Outcome = base::Result<Jpeg>;

// take(), waited for (bounded, so a lost answer fails the test instead of hanging it).
Outcome takeAndWait(Snapshotter& snapshotter, std::shared_ptr<media::Stream> stream, int width) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  snapshotter.take(std::move(stream), width, [promise](Outcome r) { promise->set_value(std::move(r)); });
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    return base::makeError(base::ErrorCode::Internal, "test: no answer");
  }
  return future.get();
}

class SnapshotterTest : public ::testing::Test {
 protected:
  // The shared stream: 2 s of the 1280x720 test pattern at 30 fps, an IDR every second.
  static void SetUpTestSuite() {
    loops_ = std::make_unique<io::IoContextPool>(1, "test");
    loops_->start();
    auto encoder = PatternEncoder::create({.width = 1280, .height = 720, .fps = 30, .bitrateKbps = 2000});
    ASSERT_TRUE(encoder.ok()) << encoder.error().describe();
    encoder_ = std::move(encoder).value();
    pattern_ = videoStream("cameras/pattern");
    publishedFrom_ = base::Clock::system().wallNow();
    newestMillis_ = publish(*encoder_, pattern_, 60);
    publishedUntil_ = base::Clock::system().wallNow();
  }
  static void TearDownTestSuite() {
    pattern_.reset();
    encoder_.reset();
    loops_->stop();
    loops_.reset();
  }

  static std::shared_ptr<media::Stream> videoStream(const std::string& path) {
    media::TrackInfo video;
    video.codec = codec::CodecId::H264;
    return std::make_shared<media::Stream>(path, loops_->at(0), std::vector<media::TrackInfo>{video}, "test");
  }

  // Encodes `frames` frames (frame n shows kStartMillis + 33 n), publishes them on the stream's
  // loop and waits until they are published. Returns the newest frame's milliseconds.
  static std::uint64_t publish(PatternEncoder& encoder, const std::shared_ptr<media::Stream>& stream,
                               int frames) {
    std::uint64_t millis = 0;
    for (int i = 0; i < frames; ++i) {
      millis = kStartMillis + 33 * encoder.frames();
      const auto status =
          encoder.encodeNext(millis, base::Clock::system().now(), [&](media::MutableUnitPtr unit) {
            boost::asio::post(stream->loop(),
                              [stream, u = std::move(unit)]() mutable { stream->publish(std::move(u)); });
          });
      EXPECT_TRUE(status.ok()) << status.error().describe();
    }
    std::promise<void> published;
    boost::asio::post(stream->loop(), [&] { published.set_value(); });
    published.get_future().wait();
    return millis;
  }

  static std::unique_ptr<io::IoContextPool> loops_;
  static std::unique_ptr<PatternEncoder> encoder_;
  static std::shared_ptr<media::Stream> pattern_;
  static std::uint64_t newestMillis_;
  static base::WallTime publishedFrom_;
  static base::WallTime publishedUntil_;
};

std::unique_ptr<io::IoContextPool> SnapshotterTest::loops_;
std::unique_ptr<PatternEncoder> SnapshotterTest::encoder_;
std::shared_ptr<media::Stream> SnapshotterTest::pattern_;
std::uint64_t SnapshotterTest::newestMillis_ = 0;
base::WallTime SnapshotterTest::publishedFrom_;
base::WallTime SnapshotterTest::publishedUntil_;

// The JPEG is width x height, and a viewer decoding it reads the newest frame's timestamp.
void expectNewestFrame(const Outcome& jpeg, int width, int height, std::uint64_t newestMillis) {
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().describe();
  EXPECT_EQ(jpeg->width, width);
  EXPECT_EQ(jpeg->height, height);
  const auto decoded = test::decodeJpeg(jpeg->bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->width, width);
  EXPECT_EQ(decoded->height, height);
  EXPECT_EQ(TimestampCodec::decode(decoded->luma.data(), decoded->width, decoded->height, decoded->width),
            newestMillis);
}

TEST_F(SnapshotterTest, ShowsTheNewestFrameAtTheStreamsSize) {
  Snapshotter snapshotter({});
  const auto jpeg = takeAndWait(snapshotter, pattern_, 0);
  expectNewestFrame(jpeg, 1280, 720, newestMillis_);
  ASSERT_TRUE(jpeg.ok());
  // Converted from the steady receive time: allow for the clocks' rounding.
  EXPECT_GE(jpeg->frameTime, publishedFrom_ - std::chrono::milliseconds(5));
  EXPECT_LE(jpeg->frameTime, publishedUntil_ + std::chrono::milliseconds(5));
  EXPECT_EQ(snapshotter.decodes(), 1u);
}

TEST_F(SnapshotterTest, ScalesToTheRequestedWidthKeepingTheAspect) {
  Snapshotter snapshotter({});
  expectNewestFrame(takeAndWait(snapshotter, pattern_, 320), 320, 180, newestMillis_);
}

TEST_F(SnapshotterTest, ConcurrentRequestsShareOneDecode) {
  // Hold the stream's loop so that every request arrives before the first one has its GOP.
  std::promise<void> holding;
  std::promise<void> release;
  boost::asio::post(pattern_->loop(), [&] {
    holding.set_value();
    release.get_future().wait();
  });
  holding.get_future().wait();

  Snapshotter snapshotter({.threads = 2});
  constexpr int kRequests = 20;
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<Outcome> outcomes;
  for (int i = 0; i < kRequests; ++i) {
    snapshotter.take(pattern_, 0, [&](Outcome r) {
      std::lock_guard lock(mutex);
      outcomes.push_back(std::move(r));
      answered.notify_all();
    });
  }
  release.set_value();
  std::unique_lock lock(mutex);
  ASSERT_TRUE(
      answered.wait_for(lock, std::chrono::seconds(20), [&] { return outcomes.size() == kRequests; }));
  EXPECT_EQ(snapshotter.decodes(), 1u);
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
    EXPECT_EQ(outcome->bytes, outcomes.front()->bytes);
  }
}

TEST_F(SnapshotterTest, TimesOutWithoutAKeyframe) {
  Snapshotter snapshotter({.keyframeTimeout = std::chrono::milliseconds(300)});
  const auto started = std::chrono::steady_clock::now();
  const auto jpeg = takeAndWait(snapshotter, videoStream("cameras/dark"), 0);
  ASSERT_FALSE(jpeg.ok());
  EXPECT_EQ(jpeg.error().code, base::ErrorCode::Timeout);
  EXPECT_EQ(jpeg.error().message, "no picture from cameras/dark within 0.3 s");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(300));
  EXPECT_EQ(snapshotter.decodes(), 0u);
}

TEST_F(SnapshotterTest, WaitsForTheFirstKeyframe) {
  auto stream = videoStream("cameras/late");
  auto encoder = PatternEncoder::create({.width = 320, .height = 240, .fps = 30, .bitrateKbps = 300});
  ASSERT_TRUE(encoder.ok());
  Snapshotter snapshotter({});
  auto promise = std::make_shared<std::promise<Outcome>>();
  snapshotter.take(stream, 0, [promise](Outcome r) { promise->set_value(std::move(r)); });
  // Let it find the cache empty at least once (it cannot be observed; the result does not
  // depend on it), then start the stream.
  std::this_thread::sleep_for(2 * Snapshotter::kKeyframePoll);
  const auto newest = publish(**encoder, stream, 3);
  auto future = promise->get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  const auto jpeg = future.get();
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().describe();
  const auto decoded = test::decodeJpeg(jpeg->bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->width, 320);
  const auto shown =
      TimestampCodec::decode(decoded->luma.data(), decoded->width, decoded->height, decoded->width);
  ASSERT_TRUE(shown);
  // The first picture that was there when it looked: within the three frames published.
  EXPECT_GE(*shown, newest - 2 * 33);
  EXPECT_LE(*shown, newest);
}

TEST_F(SnapshotterTest, AStreamThatEndsWhileWaitingIsAnError) {
  auto stream = videoStream("cameras/gone");
  Snapshotter snapshotter({});
  auto promise = std::make_shared<std::promise<Outcome>>();
  snapshotter.take(stream, 0, [promise](Outcome r) { promise->set_value(std::move(r)); });
  boost::asio::post(stream->loop(), [stream] { stream->end(); });
  auto future = promise->get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  const auto jpeg = future.get();
  ASSERT_FALSE(jpeg.ok());
  EXPECT_EQ(jpeg.error().code, base::ErrorCode::Closed);
  EXPECT_NE(jpeg.error().message.find("cameras/gone"), std::string::npos);
}

TEST_F(SnapshotterTest, PendingRequestsAreAnsweredWhenItIsDestroyed) {
  auto snapshotter = std::make_unique<Snapshotter>(Snapshotter::Options{});
  std::optional<Outcome> outcome;
  snapshotter->take(videoStream("cameras/never"), 0, [&](Outcome r) { outcome = std::move(r); });
  snapshotter.reset();
  ASSERT_TRUE(outcome);
  ASSERT_FALSE(outcome->ok());
  EXPECT_EQ(outcome->error().code, base::ErrorCode::Closed);
}

TEST_F(SnapshotterTest, StreamsWithoutVideoAreRefused) {
  media::TrackInfo audio;
  audio.codec = codec::CodecId::AAC;
  audio.clockRate = 48000;
  auto stream = std::make_shared<media::Stream>("cameras/mic", loops_->at(0),
                                                std::vector<media::TrackInfo>{audio}, "test");
  Snapshotter snapshotter({});
  const auto jpeg = takeAndWait(snapshotter, stream, 0);
  ASSERT_FALSE(jpeg.ok());
  EXPECT_EQ(jpeg.error().code, base::ErrorCode::Unsupported);
  EXPECT_EQ(jpeg.error().message, "snapshots need H.264, H.265, VP8, VP9 or AV1 video; cameras/mic has no video track");
}

TEST_F(SnapshotterTest, WidthsOutsideTheLimitsAreRefused) {
  Snapshotter snapshotter({});
  for (const int width : {-1, 15, 7681}) {
    const auto jpeg = takeAndWait(snapshotter, pattern_, width);
    ASSERT_FALSE(jpeg.ok()) << width;
    EXPECT_EQ(jpeg.error().code, base::ErrorCode::InvalidArgument);
    EXPECT_NE(jpeg.error().message.find("16..7680"), std::string::npos) << jpeg.error().message;
  }
  EXPECT_TRUE(takeAndWait(snapshotter, pattern_, 16).ok());
  EXPECT_EQ(snapshotter.decodes(), 1u);
}

}  // namespace
}  // namespace ocellus::snapshot
