#include "record/Recorder.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>

#include "fakes/TestTracks.h"
#include "format/fmp4/Box.h"
#include "format/fmp4/Fragment.h"
#include "format/fmp4/InitSegment.h"
#include "fakes/FakeClock.h"
#include "unit/format/fmp4/Fmp4TestData.h"

namespace ocellus::record {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Type = SegmentEvent::Type;
namespace fmp4 = format::fmp4;

constexpr std::int64_t kFrameTicks = fmp4::test::kFrameTicks;  // 15 fps, keyframe every 5 frames

// The real disk, with failures on request: creates fail while failCreates > 0, and appends
// wait while the gate is shut (a disk slower than the input).
class TestFileSystem final : public io::FileSystem {
 public:
  class File final : public io::WritableFile {
   public:
    File(TestFileSystem& fs, std::unique_ptr<io::WritableFile> file) : fs_(fs), file_(std::move(file)) {}
    base::Status append(std::span<const std::uint8_t> bytes) override {
      fs_.waitGate();
      if (fs_.failAppends > 0) {
        --fs_.failAppends;
        return base::makeError(base::ErrorCode::Io, "cannot write: Input/output error");
      }
      return file_->append(bytes);
    }
    base::Status sync() override { return file_->sync(); }
    base::Status close() override { return file_->close(); }
    std::uint64_t size() const override { return file_->size(); }

   private:
    TestFileSystem& fs_;
    std::unique_ptr<io::WritableFile> file_;
  };

  base::Result<std::unique_ptr<io::WritableFile>> create(const std::string& path) override {
    if (failCreates > 0) {
      --failCreates;
      return base::makeError(base::ErrorCode::Io, "cannot create " + path + ": No space left on device");
    }
    auto file = real().create(path);
    if (!file) return file.error();
    return std::unique_ptr<io::WritableFile>(std::make_unique<File>(*this, std::move(file).value()));
  }
  base::Result<std::vector<std::uint8_t>> read(const std::string& path, std::uint64_t offset, std::uint64_t length) override {
    return real().read(path, offset, length);
  }
  base::Result<std::uint64_t> fileSize(const std::string& path) override { return real().fileSize(path); }
  base::Status truncate(const std::string& path, std::uint64_t size) override { return real().truncate(path, size); }
  base::Status remove(const std::string& path) override { return real().remove(path); }
  base::Status rename(const std::string& from, const std::string& to) override { return real().rename(from, to); }
  base::Result<std::vector<std::string>> listFiles(const std::string& dir) override { return real().listFiles(dir); }
  base::Result<io::DiskSpace> space(const std::string& path) override { return real().space(path); }

  void shutGate() {
    std::lock_guard l(m_);
    open_ = false;
  }
  void openGate() {
    std::lock_guard l(m_);
    open_ = true;
    cv_.notify_all();
  }

  std::atomic<int> failCreates{0};
  std::atomic<int> failAppends{0};

 private:
  void waitGate() {
    std::unique_lock l(m_);
    cv_.wait(l, [&] { return open_; });
  }
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = true;
};

// A recording file read back: its init segment and every fragment.
struct FileContents {
  std::vector<std::uint8_t> bytes;
  fmp4::InitSegment init;
  std::vector<fmp4::Fragment> fragments;
};

void readBack(const std::string& path, FileContents& out) {
  auto bytes = io::FileSystem::real().read(path, 0, UINT64_MAX);
  ASSERT_TRUE(bytes) << bytes.error().describe();
  out.bytes = std::move(bytes).value();
  auto init = fmp4::InitSegment::parse(out.bytes);
  ASSERT_TRUE(init) << init.error().describe();
  out.init = std::move(init).value();
  fmp4::BoxReader reader(out.bytes);
  while (true) {
    auto box = reader.next();
    ASSERT_TRUE(box) << box.error().describe();
    if (!*box) break;
    if ((*box)->type != fmp4::fourCc("moof")) continue;
    auto fragment = fmp4::Fragment::parse(std::span<const std::uint8_t>(out.bytes).subspan((*box)->offset));
    ASSERT_TRUE(fragment) << fragment.error().describe();
    out.fragments.push_back(std::move(fragment).value());
  }
}

std::uint64_t duration(const fmp4::Fragment::ParsedTrack& track) {
  std::uint64_t sum = 0;
  for (const auto& s : track.samples) sum += s.duration;
  return sum;
}

class RecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (std::filesystem::temp_directory_path() / "ocellus-recorder-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    root = dir;
  }
  void TearDown() override {
    if (writer) writer->stop();
    std::filesystem::remove_all(root);
  }

  std::shared_ptr<Recorder> make(seconds segmentLength, milliseconds fragmentLength, DiskWriterOptions disk = {},
                                 bool session = false) {
    writer = std::make_unique<DiskWriter>(fs, disk);
    RecorderOptions options;
    options.cameraId = "cam";
    options.root = root;
    options.segmentLength = segmentLength;
    options.fragmentLength = fragmentLength;
    options.session = session;
    auto made = Recorder::create(options, loop, *writer, clock, [this](const SegmentEvent& e) {
      std::lock_guard l(m);
      events.push_back(e);
      cv.notify_all();
    });
    EXPECT_TRUE(made) << made.error().describe();
    return std::move(made).value();
  }

  media::TrackInfo videoInfo() const { return ocellus::test::h264Track(video); }

  std::shared_ptr<media::Stream> stream(std::vector<media::TrackInfo> tracks) {
    return std::make_shared<media::Stream>("cameras/cam", loop, std::move(tracks), "test");
  }

  // A new stream of the camera's path, read by the recorder.
  std::shared_ptr<media::Stream> attach(Recorder& recorder, std::vector<media::TrackInfo> tracks) {
    auto s = stream(std::move(tracks));
    recorder.attach(s);
    run();
    return s;
  }

  // Ends the stream and waits for the `closed`th Closed event.
  bool end(media::Stream& s, std::size_t closed) {
    s.end();
    run();
    return waitFor(Type::Closed, closed);
  }

  // Runs what is posted to the loop (the recorder's and the streams'), on this thread.
  void run() {
    loop.restart();
    loop.poll();
  }

  // Publishes frame i of an endless repetition of the test vector, received in real time from
  // `start` (the clock follows, never backwards), with dts counted from `firstDts` frames.
  void publish(media::Stream& s, std::int64_t i, std::uint32_t track = 0, std::int64_t firstDts = 0) {
    const std::size_t n = video.frames.size() - video.frames.size() % 5;
    auto u = media::UnitPool::forThisThread().acquire();
    u->track = track;
    u->dts = u->pts = (i - firstDts) * kFrameTicks;
    u->keyframe = video.keyframes[static_cast<std::size_t>(i) % n];
    u->data = video.frames[static_cast<std::size_t>(i) % n];
    u->received = start + microseconds(i * kFrameTicks * 1000 / 90);
    if (u->received > clock.now()) clock.advance(std::chrono::duration_cast<milliseconds>(u->received - clock.now()));
    s.publish(std::move(u));
    run();
  }

  // Waits until the writer has run every job queued so far.
  void drain() {
    std::promise<void> drained;
    writer->post(0, [&] { drained.set_value(); });
    drained.get_future().wait();
  }

  // Waits until `n` events of `type` have arrived (from the writer's thread).
  bool waitFor(Type type, std::size_t n) {
    std::unique_lock l(m);
    return cv.wait_for(l, seconds(10), [&] { return count(type) >= n; });
  }
  std::size_t count(Type type) const {
    return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [&](const SegmentEvent& e) { return e.type == type; }));
  }
  std::vector<SegmentEvent> all(Type type) {
    std::lock_guard l(m);
    std::vector<SegmentEvent> out;
    for (const auto& e : events) {
      if (e.type == type) out.push_back(e);
    }
    return out;
  }

  std::string root;
  TestFileSystem fs;
  io::IoContext loop;
  test::FakeClock clock;
  base::SteadyTime start = clock.now();
  fmp4::test::VideoStream video = fmp4::test::loadVideo(false);
  std::unique_ptr<DiskWriter> writer;
  std::mutex m;
  std::condition_variable cv;
  std::vector<SegmentEvent> events;
};

TEST_F(RecorderTest, WritesFragmentsThatStartAtKeyframesAndClosesAtStreamEnd) {
  auto recorder = make(seconds(600), milliseconds(1000));
  auto s = attach(*recorder, {videoInfo()});
  for (std::int64_t i = 0; i < 15 * 10; ++i) publish(*s, i);
  ASSERT_TRUE(end(*s, 1));

  const auto opened = all(Type::Opened);
  ASSERT_EQ(opened.size(), 1u);
  // The fake wall clock starts at 1'700'000'000 s.
  EXPECT_EQ(opened[0].path, "cam/2023-11-14/cam-20231114T221320.000Z.mp4");
  EXPECT_EQ(opened[0].startMs, 1'700'000'000'000);
  const auto closed = all(Type::Closed).at(0);
  EXPECT_EQ(closed.path, opened[0].path);
  EXPECT_EQ(closed.durationMs, 10'000);
  EXPECT_EQ(closed.endMs, closed.startMs + 10'000);
  EXPECT_EQ(closed.codecs.substr(0, 5), "avc1.");
  EXPECT_EQ(events.front().type, Type::Opened);
  EXPECT_EQ(events.back().type, Type::Closed);
  EXPECT_EQ(count(Type::Progress), 10u);

  FileContents file;
  readBack(root + "/" + closed.path, file);
  EXPECT_EQ(closed.bytes, file.bytes.size());
  ASSERT_EQ(file.init.tracks.size(), 1u);
  ASSERT_EQ(file.fragments.size(), 10u);
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < file.fragments.size(); ++i) {
    const auto& f = file.fragments[i];
    EXPECT_EQ(f.sequenceNumber, i + 1);
    ASSERT_EQ(f.tracks.size(), 1u);
    EXPECT_TRUE(f.tracks[0].samples.front().keyframe()) << "fragment " << i;
    EXPECT_EQ(f.tracks[0].baseDecodeTime, next);
    // 1 s exactly: keyframes every 5 frames at 15 fps fall on each second.
    EXPECT_EQ(duration(f.tracks[0]), 90'000u) << "fragment " << i;
    next += duration(f.tracks[0]);
  }
  const auto stats = writer->stats();
  EXPECT_EQ(stats.fragmentsWritten, 10u);
  EXPECT_EQ(stats.fragmentsDropped, 0u);
  EXPECT_EQ(writer->writeLatency().count(), 10u);
  EXPECT_EQ(recorder->stats().filesOpened, 1u);
}

TEST_F(RecorderTest, StartsAtTheFirstKeyframeAndCutsWithoutOneAtTwiceTheFragmentLength) {
  auto recorder = make(seconds(600), milliseconds(100));
  auto s = attach(*recorder, {videoInfo()});
  // Frames 1..4 precede any keyframe; then keyframes every 333 ms, fragments due every 100 ms.
  for (std::int64_t i = 1; i < 5 + 15 * 2; ++i) publish(*s, i);
  ASSERT_TRUE(end(*s, 1));
  const auto closed = all(Type::Closed).at(0);
  EXPECT_EQ(closed.durationMs, 2000);
  FileContents file;
  readBack(root + "/" + closed.path, file);
  ASSERT_FALSE(file.fragments.empty());
  EXPECT_TRUE(file.fragments.front().tracks[0].samples.front().keyframe());
  std::size_t withoutKeyframe = 0;
  for (const auto& f : file.fragments) {
    // 200 ms without a keyframe: three frames.
    EXPECT_LE(f.tracks[0].samples.size(), 3u);
    if (!f.tracks[0].samples.front().keyframe()) ++withoutKeyframe;
  }
  EXPECT_GT(withoutKeyframe, 0u);
}

TEST_F(RecorderTest, RollsOverToANewFileAtTheFirstKeyframeAfterTheSegmentLength) {
  auto recorder = make(seconds(2), milliseconds(500));
  auto s = attach(*recorder, {videoInfo()});
  for (std::int64_t i = 0; i < 15 * 7; ++i) publish(*s, i);
  ASSERT_TRUE(end(*s, 4));
  const auto closed = all(Type::Closed);
  ASSERT_EQ(closed.size(), 4u);
  const std::int64_t expected[] = {2000, 2000, 2000, 1000};
  for (std::size_t i = 0; i < closed.size(); ++i) {
    EXPECT_EQ(closed[i].durationMs, expected[i]) << closed[i].path;
    if (i > 0) {
      EXPECT_EQ(closed[i].startMs, closed[i - 1].endMs);
      EXPECT_GT(closed[i].path, closed[i - 1].path);
    }
    FileContents file;
    readBack(root + "/" + closed[i].path, file);
    ASSERT_FALSE(file.fragments.empty());
    EXPECT_EQ(file.fragments.front().sequenceNumber, 1u);
    EXPECT_EQ(file.fragments.front().tracks[0].baseDecodeTime, 0u);
    EXPECT_TRUE(file.fragments.front().tracks[0].samples.front().keyframe());
  }
  EXPECT_EQ(closed[1].path, "cam/2023-11-14/cam-20231114T221322.000Z.mp4");
}

TEST_F(RecorderTest, AStreamAttachedAgainGetsANewFileThatStartsAfterThePreviousOne) {
  auto recorder = make(seconds(600), milliseconds(1000));
  auto first = attach(*recorder, {videoInfo()});
  for (std::int64_t i = 0; i < 15 * 2; ++i) publish(*first, i);
  ASSERT_TRUE(end(*first, 1));

  // The camera is back; its first frame's receive time (1 s) lies before the first file's end
  // (2 s), as when a wall clock stepped back: the new file starts at the old one's end.
  start -= seconds(2);
  auto second = attach(*recorder, {videoInfo()});
  for (std::int64_t i = 45; i < 45 + 15 * 2; ++i) publish(*second, i, 0, 45);
  recorder->stop({});
  run();
  ASSERT_TRUE(waitFor(Type::Closed, 2));
  const auto closed = all(Type::Closed);
  EXPECT_EQ(closed[1].startMs, closed[0].endMs);
  EXPECT_NE(closed[1].path, closed[0].path);
  EXPECT_EQ(closed[1].durationMs, 2000);
  EXPECT_EQ(recorder->stats().filesOpened, 2u);
}

TEST_F(RecorderTest, AFailedFileIsReportedAndRetriedAfterABackoff) {
  fs.failCreates = 2;
  auto recorder = make(seconds(600), milliseconds(1000));
  auto s = attach(*recorder, {videoInfo()});
  publish(*s, 0);
  ASSERT_TRUE(waitFor(Type::Failed, 1));
  const auto failed = all(Type::Failed).at(0);
  EXPECT_NE(failed.error.find(failed.path), std::string::npos) << failed.error;
  EXPECT_NE(failed.error.find("No space left on device"), std::string::npos) << failed.error;

  // Frame 1 (67 ms) finds the failure: units are dropped for 1 s, up to frame 15.
  for (std::int64_t i = 1; i <= 15; ++i) publish(*s, i);
  EXPECT_EQ(recorder->stats().unitsDropped, 15u);
  EXPECT_EQ(recorder->stats().failures, 1u);
  // The keyframe at frame 20 starts the next file, which fails too.
  for (std::int64_t i = 16; i <= 20; ++i) publish(*s, i);
  ASSERT_TRUE(waitFor(Type::Failed, 2));
  // Frame 21 finds it: the next wait is 2 s, frames 21..50.
  for (std::int64_t i = 21; i <= 55; ++i) publish(*s, i);
  EXPECT_EQ(recorder->stats().unitsDropped, 15u + 30u);
  EXPECT_EQ(recorder->stats().failures, 2u);
  ASSERT_TRUE(waitFor(Type::Opened, 1));
  for (std::int64_t i = 56; i < 86; ++i) publish(*s, i);
  ASSERT_TRUE(end(*s, 1));
  const auto closed = all(Type::Closed).at(0);
  EXPECT_GE(closed.startMs, all(Type::Failed).at(1).startMs + 2000);
  EXPECT_EQ(closed.durationMs, 2067);  // frames 55..85
  FileContents file;
  readBack(root + "/" + closed.path, file);
  EXPECT_EQ(file.fragments.size(), 3u);
}

TEST_F(RecorderTest, AFailedWriteClosesTheFileAndTheNextOneFollows) {
  auto recorder = make(seconds(600), milliseconds(1000));
  auto s = attach(*recorder, {videoInfo()});
  for (std::int64_t i = 0; i < 16; ++i) publish(*s, i);
  ASSERT_TRUE(waitFor(Type::Progress, 1));
  fs.failAppends = 1;
  for (std::int64_t i = 16; i < 31; ++i) publish(*s, i);
  ASSERT_TRUE(waitFor(Type::Failed, 1));
  const auto failed = all(Type::Failed).at(0);
  EXPECT_NE(failed.error.find("Input/output error"), std::string::npos);
  EXPECT_EQ(failed.durationMs, 1000);  // what was written before stays
  // The failure is seen at the next unit; the next file opens at the first keyframe after 1 s.
  for (std::int64_t i = 31; i < 31 + 15 * 3; ++i) publish(*s, i);
  recorder->stop({});
  run();
  ASSERT_TRUE(waitFor(Type::Closed, 1));
  EXPECT_EQ(all(Type::Opened).size(), 2u);
  EXPECT_GE(all(Type::Closed).at(0).startMs, failed.endMs + 1000);
}

TEST_F(RecorderTest, NewParameterSetsCloseTheFileAtTheNextKeyframe) {
  auto recorder = make(seconds(600), milliseconds(1000));
  auto s = attach(*recorder, {videoInfo()});
  for (std::int64_t i = 0; i < 17; ++i) publish(*s, i);
  auto changed = videoInfo();
  changed.width = 320;  // as if an in-band SPS said so
  s->updateTrack(0, changed);
  // Frames 17..19 still go to the first file; the keyframe at frame 20 starts the second.
  for (std::int64_t i = 17; i < 35; ++i) publish(*s, i);
  ASSERT_TRUE(end(*s, 2));
  const auto closed = all(Type::Closed);
  EXPECT_EQ(closed[0].durationMs, 1333);
  EXPECT_EQ(closed[1].startMs, closed[0].endMs);
  FileContents first, second;
  readBack(root + "/" + closed[0].path, first);
  readBack(root + "/" + closed[1].path, second);
  EXPECT_EQ(first.init.tracks.at(0).width, 160);
  EXPECT_EQ(second.init.tracks.at(0).width, 320);
}

TEST_F(RecorderTest, SkipsAG711TrackAndStillWritesTheVideo) {
  auto recorder = make(seconds(600), milliseconds(1000));
  media::TrackInfo pcma;
  pcma.codec = codec::CodecId::PCMA;
  pcma.clockRate = 8000;
  auto s = attach(*recorder, {pcma, videoInfo()});
  for (std::int64_t i = 0; i < 15 * 3; ++i) {
    auto u = media::UnitPool::forThisThread().acquire();
    u->track = 0;
    u->dts = u->pts = i * 533;
    u->data.assign(533, 0xd5);
    s->publish(std::move(u));
    publish(*s, i, 1);
  }
  ASSERT_TRUE(end(*s, 1));
  const auto closed = all(Type::Closed).at(0);
  EXPECT_EQ(closed.codecs.find(','), std::string::npos) << closed.codecs;
  EXPECT_EQ(closed.durationMs, 3000);
  FileContents file;
  readBack(root + "/" + closed.path, file);
  ASSERT_EQ(file.init.tracks.size(), 1u);
  EXPECT_EQ(file.init.tracks[0].codec, codec::CodecId::H264);
  EXPECT_EQ(file.fragments.size(), 3u);
}

TEST_F(RecorderTest, DropsWholeFragmentsWhenTheDiskIsTooSlow) {
  // Room for about one fragment (1 s of this vector is a few kB) while the disk is stuck.
  auto recorder = make(seconds(600), milliseconds(1000), DiskWriterOptions{.maxQueuedBytes = 12'000});
  auto s = attach(*recorder, {videoInfo()});
  fs.shutGate();
  for (std::int64_t i = 0; i < 15 * 6 + 1; ++i) publish(*s, i);
  const auto stuck = recorder->stats().fragmentsDropped;
  EXPECT_GE(stuck, 3u);
  EXPECT_EQ(writer->stats().fragmentsDropped, stuck);
  EXPECT_LE(writer->stats().queuedBytes, 12'000u);
  fs.openGate();
  // Once what was queued is written, there is room again.
  drain();
  for (std::int64_t i = 15 * 6 + 1; i < 15 * 10; ++i) {
    publish(*s, i);
    if (i % 15 == 0) drain();
  }
  ASSERT_TRUE(end(*s, 1));
  EXPECT_EQ(recorder->stats().fragmentsDropped, stuck);
  const auto closed = all(Type::Closed).at(0);
  EXPECT_EQ(closed.durationMs, (10 - static_cast<std::int64_t>(stuck)) * 1000);
  FileContents file;
  readBack(root + "/" + closed.path, file);
  ASSERT_EQ(file.fragments.size(), 10u - stuck);
  // The decode times jump over what was dropped; every fragment still starts at a keyframe.
  for (const auto& f : file.fragments) EXPECT_TRUE(f.tracks[0].samples.front().keyframe());
  EXPECT_GT(file.fragments.back().tracks[0].baseDecodeTime, (file.fragments.size() - 1) * 90'000u);
}

TEST_F(RecorderTest, StopClosesTheFileThenCallsDone) {
  auto recorder = make(seconds(600), milliseconds(1000), {}, true);
  auto s = attach(*recorder, {videoInfo()});
  for (std::int64_t i = 0; i < 20; ++i) publish(*s, i);
  std::promise<std::size_t> closedBefore;
  recorder->stop([&] {
    std::lock_guard l(m);
    closedBefore.set_value(count(Type::Closed));
  });
  run();
  auto f = closedBefore.get_future();
  ASSERT_EQ(f.wait_for(seconds(10)), std::future_status::ready);
  EXPECT_EQ(f.get(), 1u);
  const auto closed = all(Type::Closed).at(0);
  EXPECT_EQ(closed.path.rfind("cam/sessions/cam-", 0), 0u) << closed.path;
  // The held frame is written too: 20 frames of 1/15 s.
  EXPECT_EQ(closed.durationMs, 1333);
  // Later units and attachments are ignored.
  publish(*s, 20);
  recorder->attach(stream({videoInfo()}));
  run();
  EXPECT_EQ(recorder->stats().filesOpened, 1u);
}

// The output of a shell command (stdout and stderr), or nullopt when it could not run.
std::optional<std::string> shell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  if (::pclose(pipe) != 0) return std::nullopt;
  return out;
}

TEST_F(RecorderTest, FfprobeReadsTheDurationFromTheFragmentsAndDecodesEveryFrame) {
  if (!shell("ffprobe -version")) GTEST_SKIP() << "no ffprobe";
  auto recorder = make(seconds(600), milliseconds(1000));
  const auto audio = fmp4::test::loadAac(100);
  ASSERT_FALSE(audio.frames.empty());
  auto s = attach(*recorder, {videoInfo(), ocellus::test::aacTrack()});
  std::int64_t samples = 0;  // AAC frames of 1024 samples at 48 kHz, numbered from 0 by their source
  for (std::int64_t i = 0; i < 15 * 10; ++i) {
    publish(*s, i);
    for (; samples * 90'000 / 48'000 < (i + 1) * kFrameTicks; samples += 1024) {
      auto u = media::UnitPool::forThisThread().acquire();
      u->track = 1;
      u->dts = u->pts = samples;
      u->data = audio.frames[static_cast<std::size_t>(samples / 1024) % audio.frames.size()];
      u->received = start + microseconds(samples * 1'000'000 / 48'000);
      s->publish(std::move(u));
    }
  }
  ASSERT_TRUE(end(*s, 1));
  const auto path = root + "/" + all(Type::Closed).at(0).path;
  const auto duration = shell("ffprobe -v error -show_entries format=duration -of csv=p=0 " + path);
  ASSERT_TRUE(duration);
  EXPECT_NEAR(std::stod(*duration), 10.0, 0.05) << *duration;
  const auto frames = shell("ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames "
                            "-of csv=p=0 " + path);
  ASSERT_TRUE(frames);
  EXPECT_EQ(*frames, "150\n");  // and no error line
  const auto audioFrames = shell("ffprobe -v error -count_frames -select_streams a:0 -show_entries stream=codec_name,nb_read_frames "
                                 "-of csv=p=0 " + path);
  ASSERT_TRUE(audioFrames);
  EXPECT_EQ(audioFrames->rfind("aac,", 0), 0u) << *audioFrames;
}

// KLV (STANAG 4609 metadata) is recorded as a timed-metadata track: every unit one sample, in
// order, with its bytes as received; the CODECS list stays the video's, and ffprobe still reads
// every video frame beside the track it does not know.
TEST_F(RecorderTest, KeepsKlvBesideTheVideo) {
  auto recorder = make(seconds(600), milliseconds(1000));
  media::TrackInfo klv;
  klv.codec = codec::CodecId::KLV;
  auto s = attach(*recorder, {videoInfo(), klv});
  std::vector<std::vector<std::uint8_t>> sent;
  for (std::int64_t i = 0; i < 15 * 3; ++i) {
    publish(*s, i);
    if (i % 5 != 0) continue;
    auto u = media::UnitPool::forThisThread().acquire();
    u->track = 1;
    u->dts = u->pts = i * kFrameTicks;
    u->data = {0x06, 0x0e, 0x2b, 0x34, 0x02, 0x0b, 0x01, 0x01, static_cast<std::uint8_t>(i)};
    u->received = start + microseconds(i * kFrameTicks * 1000 / 90);
    sent.push_back(u->data);
    s->publish(std::move(u));
    run();
  }
  ASSERT_TRUE(end(*s, 1));
  const auto closed = all(Type::Closed).at(0);
  EXPECT_EQ(closed.codecs, "avc1.42C01F");
  FileContents file;
  readBack(root + "/" + closed.path, file);
  ASSERT_EQ(file.init.tracks.size(), 2u);
  EXPECT_EQ(file.init.tracks[1].codec, codec::CodecId::KLV);
  std::vector<std::vector<std::uint8_t>> recorded;
  std::uint64_t expectedTime = 0;
  for (const auto& fragment : file.fragments) {
    for (const auto& track : fragment.tracks) {
      if (track.trackId != file.init.tracks[1].id) continue;
      EXPECT_EQ(track.baseDecodeTime, expectedTime);
      for (const auto& sample : track.samples) {
        recorded.emplace_back(sample.data.begin(), sample.data.end());
        expectedTime += sample.duration;
        EXPECT_EQ(sample.duration, static_cast<std::uint32_t>(5 * kFrameTicks));
      }
    }
  }
  EXPECT_EQ(recorded, sent);
  if (!shell("ffprobe -version")) return;
  const auto frames = shell("ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames "
                            "-of csv=p=0 " + root + "/" + closed.path);
  ASSERT_TRUE(frames);
  EXPECT_EQ(*frames, "45\n");
}

TEST(RecorderCreateTest, RefusesACameraIdThatIsNotAFolderName) {
  io::IoContext loop;
  DiskWriter writer(io::FileSystem::real());
  for (const char* id : {"", "a/b", "..", "x\\y"}) {
    RecorderOptions options;
    options.cameraId = id;
    EXPECT_FALSE(Recorder::create(options, loop, writer, base::Clock::system(), {})) << id;
  }
}

}  // namespace
}  // namespace ocellus::record
