#include "media/Stream.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

#include <condition_variable>
#include <atomic>
#include <future>

#include "media/ReaderQueue.h"
#include "media/StreamRegistry.h"

namespace ocellus::media {
namespace {

// Records what it receives; thread-safe for the test thread to inspect.
class RecordingReader : public Reader {
 public:
  void onUnit(const UnitPtr& unit) override {
    std::lock_guard l(m);
    seen.push_back(unit->pts);
    keys.push_back(unit->keyframe);
    cv.notify_all();
  }
  void onStreamEnd() override {
    std::lock_guard l(m);
    ended = true;
    cv.notify_all();
  }
  bool waitFor(std::size_t n) {
    std::unique_lock l(m);
    return cv.wait_for(l, std::chrono::seconds(10), [&] { return seen.size() >= n; });
  }
  bool waitEnded() {
    std::unique_lock l(m);
    return cv.wait_for(l, std::chrono::seconds(10), [&] { return ended; });
  }
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::int64_t> seen;
  std::vector<bool> keys;
  bool ended = false;
};

// Never drains its queue, like a reader whose socket is stuck.
class StuckReader : public Reader {
 public:
  void onUnit(const UnitPtr& unit) override {
    queue.push(unit, unit->rtpWireSize(), base::Clock::system().now());
  }
  void onStreamEnd() override {}
  ReaderQueue queue{{.maxBytes = 2000, .maxAge = std::chrono::seconds(10)}, 0};
};

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override { pool.start(); }
  void TearDown() override { pool.stop(); }

  std::shared_ptr<Stream> makeStream() {
    TrackInfo video;
    video.codec = codec::CodecId::PCMU;  // audio: no GOP cache, every unit is delivered as is
    auto s = std::make_shared<Stream>("test", pool.at(0), std::vector<TrackInfo>{video}, "test");
    return s;
  }
  // Runs fn on loop i and waits for it.
  void on(std::size_t i, std::function<void()> fn) {
    std::promise<void> done;
    boost::asio::post(pool.at(i), [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }
  void publish(const std::shared_ptr<Stream>& s, std::int64_t pts, bool key, std::size_t size = 100) {
    on(0, [&] {
      auto u = UnitPool::forThisThread().acquire();
      u->pts = pts;
      u->keyframe = key;
      u->data.assign(size, static_cast<std::uint8_t>(pts));
      s->publish(std::move(u));
    });
  }

  std::shared_ptr<Stream> makeVideoStream() {
    TrackInfo video;
    video.codec = codec::CodecId::H264;
    return std::make_shared<Stream>("v", pool.at(0), std::vector<TrackInfo>{video}, "test");
  }
  // One H.264 picture of one NAL unit in the canonical length-prefixed form.
  void publishH264(const std::shared_ptr<Stream>& s, std::int64_t pts, bool key) {
    on(0, [&] {
      auto u = UnitPool::forThisThread().acquire();
      u->pts = pts;
      u->keyframe = key;
      const std::uint8_t nal = key ? 0x65 : 0x41;
      u->data = {0, 0, 0, 3, nal, 0x88, 0x84};
      s->publish(std::move(u));
    });
  }
  // Stream::copyGop, waited for; also tells which loop the callback ran on.
  std::pair<Stream::GopCopy, std::size_t> copyGop(const std::shared_ptr<Stream>& s) {
    std::promise<std::pair<Stream::GopCopy, std::size_t>> got;
    s->copyGop([&](Stream::GopCopy gop) { got.set_value({std::move(gop), pool.currentIndex()}); });
    return got.get_future().get();
  }

  io::IoContextPool pool{2};
};

TEST_F(StreamTest, AudioTrackStreamDeliversInOrderToReadersOnEveryLoop) {
  auto s = makeStream();
  auto a = std::make_shared<RecordingReader>();
  auto b = std::make_shared<RecordingReader>();
  on(0, [&] { s->addReader(a, pool.at(0)); });
  on(1, [&] { s->addReader(b, pool.at(1)); });
  on(0, [] {});  // the registrations have run on the publisher loop
  for (int i = 0; i < 50; ++i) publish(s, i, i % 10 == 0);
  ASSERT_TRUE(a->waitFor(50));
  ASSERT_TRUE(b->waitFor(50));
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(a->seen[i], i);
    EXPECT_EQ(b->seen[i], i);
  }
  EXPECT_EQ(s->readerCount(), 2u);
}

TEST_F(StreamTest, LateJoinerStartsWithCachedGopAtKeyframe) {
  auto s = makeVideoStream();
  for (int i = 0; i < 5; ++i) publishH264(s, i, i == 0);
  publishH264(s, 5, true);
  publishH264(s, 6, false);
  auto late = std::make_shared<RecordingReader>();
  on(1, [&] { s->addReader(late, pool.at(1)); });
  ASSERT_TRUE(late->waitFor(2));
  EXPECT_EQ(late->seen[0], 5);
  EXPECT_TRUE(late->keys[0]);
  EXPECT_EQ(late->seen[1], 6);
  publishH264(s, 7, false);
  ASSERT_TRUE(late->waitFor(3));
  EXPECT_EQ(late->seen[2], 7);
}

TEST_F(StreamTest, CopyGopHandsBackTheLastKeyframeToTheNewestUnitOnThePublisherLoop) {
  auto s = makeVideoStream();
  auto [before, beforeLoop] = copyGop(s);
  EXPECT_TRUE(before.units.empty());  // nothing until a keyframe
  EXPECT_FALSE(before.ended);
  EXPECT_EQ(beforeLoop, 0u);

  for (int i = 0; i < 5; ++i) publishH264(s, i, i == 0);
  publishH264(s, 5, true);
  publishH264(s, 6, false);
  TrackInfo learned = s->tracks()[0];
  learned.sps = {0x67, 0x42};
  on(0, [&] { s->updateTrack(0, learned); });
  auto [gop, loop] = copyGop(s);
  EXPECT_EQ(loop, 0u);
  ASSERT_EQ(gop.units.size(), 2u);
  EXPECT_EQ(gop.units[0]->pts, 5);
  EXPECT_TRUE(gop.units[0]->keyframe);
  EXPECT_EQ(gop.units[1]->pts, 6);
  ASSERT_EQ(gop.tracks.size(), 1u);
  EXPECT_EQ(gop.tracks[0].sps, learned.sps);

  on(0, [&] { s->end(); });
  auto [after, afterLoop] = copyGop(s);
  EXPECT_TRUE(after.ended);
  EXPECT_TRUE(after.units.empty());
  // The copy taken before holds its units after the stream dropped its cache.
  EXPECT_EQ(gop.units[1]->pts, 6);
}

TEST_F(StreamTest, StuckReaderDropsWhileOthersGetEverything) {
  auto s = makeStream();
  auto fast = std::make_shared<RecordingReader>();
  auto stuck = std::make_shared<StuckReader>();
  on(1, [&] {
    s->addReader(fast, pool.at(1));
    s->addReader(stuck, pool.at(1));
  });
  on(0, [] {});
  for (int i = 0; i < 200; ++i) publish(s, i, i % 20 == 0, 300);
  ASSERT_TRUE(fast->waitFor(200));
  on(1, [] {});
  EXPECT_GT(stuck->queue.droppedUnits(), 100u);
  EXPECT_GT(stuck->queue.overflows(), 0u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(fast->seen[i], i);
}

TEST_F(StreamTest, RemovedReaderGetsNothingMoreAndEndReachesTheRest) {
  auto s = makeStream();
  auto stays = std::make_shared<RecordingReader>();
  auto leaves = std::make_shared<RecordingReader>();
  on(1, [&] {
    s->addReader(stays, pool.at(1));
    s->addReader(leaves, pool.at(1));
  });
  on(0, [] {});
  publish(s, 1, true);
  ASSERT_TRUE(leaves->waitFor(1));
  on(1, [&] { s->removeReader(leaves, pool.at(1)); });
  publish(s, 2, false);
  ASSERT_TRUE(stays->waitFor(2));
  on(1, [] {});
  EXPECT_EQ(leaves->seen.size(), 1u);
  on(0, [&] { s->end(); });
  EXPECT_TRUE(stays->waitEnded());
  EXPECT_FALSE(leaves->ended);
}

TEST_F(StreamTest, RegistryRefusesSecondPublisherAndWaitsForOnDemand) {
  StreamRegistry registry;
  auto first = registry.publish("cam", pool.at(0), {TrackInfo{}}, "a");
  ASSERT_TRUE(first.ok());
  auto second = registry.publish("/cam/", pool.at(0), {TrackInfo{}}, "b");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, base::ErrorCode::AlreadyExists);

  registry.setAlias("door", "cameras/door");
  registry.setDemandHandler([&](const std::string& path) {
    if (path != "cameras/door") return false;
    boost::asio::post(pool.at(0), [&] { (void)registry.publish("cameras/door", pool.at(0), {TrackInfo{}}, "od"); });
    return true;
  });
  std::promise<std::string> got;
  registry.whenReady("door", pool.at(1), std::chrono::seconds(5), [&](auto r) {
    got.set_value(r.ok() ? r.value()->path() : r.error().describe());
  });
  EXPECT_EQ(got.get_future().get(), "cameras/door");

  std::promise<base::ErrorCode> missing;
  registry.whenReady("nope", pool.at(1), std::chrono::seconds(5),
                     [&](auto r) { missing.set_value(r.ok() ? base::ErrorCode::Ok : r.error().code); });
  EXPECT_EQ(missing.get_future().get(), base::ErrorCode::NotFound);
}

TEST_F(StreamTest, RegistryCanWaitForAnyPublisherUntilTheTimeout) {
  StreamRegistry registry;
  std::promise<std::string> got;
  registry.whenReady(
      "live/late", pool.at(1), std::chrono::seconds(5),
      [&](auto r) { got.set_value(r.ok() ? r.value()->path() : r.error().describe()); }, true);
  ASSERT_TRUE(registry.publish("live/late", pool.at(0), {TrackInfo{}}, "rtmp").ok());
  EXPECT_EQ(got.get_future().get(), "live/late");

  std::promise<base::ErrorCode> nobody;
  registry.whenReady(
      "live/nobody", pool.at(1), std::chrono::milliseconds(50),
      [&](auto r) { nobody.set_value(r.ok() ? base::ErrorCode::Ok : r.error().code); }, true);
  EXPECT_EQ(nobody.get_future().get(), base::ErrorCode::Timeout);
}

}  // namespace
TEST_F(StreamTest, KeyframeRequestsReachThePublisherOnItsLoopAtALimitedRate) {
  auto s = makeStream();
  EXPECT_FALSE(s->requestKeyframe());  // no requester: dropped
  std::promise<bool> ran;
  std::atomic<int> calls{0};
  s->setKeyframeRequester([&] {
    if (calls.fetch_add(1) == 0) ran.set_value(pool.at(0).get_executor().running_in_this_thread());
  });
  EXPECT_TRUE(s->requestKeyframe());
  EXPECT_FALSE(s->requestKeyframe());  // within kKeyframeRequestInterval of the first
  EXPECT_TRUE(ran.get_future().get());
  on(0, [] {});
  EXPECT_EQ(calls.load(), 1);
  const auto stats = s->stats();
  EXPECT_EQ(stats.keyframeRequests, 1u);
  EXPECT_EQ(stats.keyframeRequestsDropped, 2u);
}

}  // namespace ocellus::media
