// snapshot — JPEG snapshot latency of snapshot::Snapshotter on a live 30 fps H.264 stream at
// 1280x720 and 1920x1080, one request at a time and 20 at once; prints a markdown table.
//   snapshot [--samples N=100] [--rounds N=30] [--concurrent N=20] [--threads N=1] [--sizes 720,1080]
// What is measured: bench/README.md.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/Flags.h"
#include "common/Measure.h"
#include "common/PatternClip.h"
#include "common/ReplayedCamera.h"
#include "snapshot/Snapshotter.h"

namespace {

using namespace ocellus;
using namespace ocellus::bench;
using Clock = std::chrono::steady_clock;

struct Options {
  int samples = 100;    // single requests per size
  int rounds = 30;      // concurrent rounds per size
  int concurrent = 20;  // requests per round
  int threads = 1;      // Snapshotter worker threads
  std::vector<int> heights{720, 1080};
};

// A camera: two seconds of the test pattern (30 fps, an IDR every 30 frames) encoded once, then
// replayed at 30 fps with running timestamps from a timer on the stream's loop, so the encoder's
// CPU does not compete with the snapshots being measured.
class Camera {
 public:
  Camera(io::IoContext& loop, int width, int height)
      : clip_(PatternClip::encode(
            {.width = width, .height = height, .fps = 30, .bitrateKbps = height >= 1080 ? 4000 : 2000, .gop = 30},
            60)),
        replay_(clip_, loop, "bench", {}, [this] {
          std::lock_guard lock(mutex_);
          ++published_;
          cv_.notify_all();
        }) {}

  const std::shared_ptr<media::Stream>& stream() const { return replay_.stream(); }

  // Blocks until the camera published a frame after this call.
  void waitForNewFrame() {
    std::unique_lock lock(mutex_);
    const auto seen = published_;
    cv_.wait(lock, [&] { return published_ != seen; });
  }

 private:
  const PatternClip clip_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t published_ = 0;
  ReplayedCamera replay_;  // last: stopped before the state its callback touches goes
};

struct Row {
  std::string size;
  std::string mode;
  std::size_t requests = 0;
  std::uint64_t decodes = 0;
  std::vector<double> latencies;
  std::size_t failures = 0;
  double jpegKb = 0;
  double cpuMsPerDecode = 0;
};

// Issues `count` requests at once and waits for every answer; latencies from each take().
void round(snapshot::Snapshotter& snapshotter, const std::shared_ptr<media::Stream>& stream, int count,
           Row& row) {
  std::mutex mutex;
  std::condition_variable cv;
  int answered = 0;
  std::vector<Clock::time_point> started(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    started[static_cast<std::size_t>(i)] = Clock::now();
    snapshotter.take(stream, 0, [&, i](base::Result<snapshot::Jpeg> r) {
      const auto took = ms(Clock::now() - started[static_cast<std::size_t>(i)]);
      std::lock_guard lock(mutex);
      row.latencies.push_back(took);
      if (r) {
        row.jpegKb += static_cast<double>(r->bytes.size()) / 1024.0;
      } else {
        ++row.failures;
        std::fprintf(stderr, "snapshot failed: %s\n", r.error().describe().c_str());
      }
      ++answered;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  cv.wait(lock, [&] { return answered == count; });
  row.requests += static_cast<std::size_t>(count);
}

Row measure(snapshot::Snapshotter& snapshotter, Camera& camera, const std::string& size,
            const std::string& mode, int rounds, int perRound) {
  Row row;
  row.size = size;
  row.mode = mode;
  const auto decodesBefore = snapshotter.decodes();
  const double cpuBefore = processCpuMs();
  for (int r = 0; r < rounds; ++r) {
    camera.waitForNewFrame();
    round(snapshotter, camera.stream(), perRound, row);
  }
  row.decodes = snapshotter.decodes() - decodesBefore;
  row.cpuMsPerDecode =
      (processCpuMs() - cpuBefore) / static_cast<double>(std::max<std::uint64_t>(1, row.decodes));
  row.jpegKb /= static_cast<double>(std::max<std::size_t>(1, row.requests - row.failures));
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const bool parsed = parseFlags(argc, argv, [&o](std::string_view a, const char* v) {
    if (a == "--samples")
      o.samples = std::atoi(v);
    else if (a == "--rounds")
      o.rounds = std::atoi(v);
    else if (a == "--concurrent")
      o.concurrent = std::atoi(v);
    else if (a == "--threads")
      o.threads = std::atoi(v);
    else if (a == "--sizes")
      o.heights = parseList(v);
    else
      return false;
    return true;
  });
  if (!parsed) {
    std::fprintf(stderr,
                 "usage: snapshot [--samples N=100] [--rounds N=30] [--concurrent N=20] [--threads N=1] "
                 "[--sizes 720,1080]\n");
    return 2;
  }
  // OCELLUS_LOG=debug shows each snapshot's decode and encode times (snapshot::Snapshotter).
  const char* level = std::getenv("OCELLUS_LOG");
  spdlog::set_level(level && std::string_view(level) == "debug" ? spdlog::level::debug : spdlog::level::warn);
  io::IoContextPool loops(1, "media");
  loops.start();
  snapshot::Snapshotter snapshotter({.threads = o.threads});

  std::vector<Row> rows;
  for (const int height : o.heights) {
    const int width = height * 16 / 9;
    Camera camera(loops.at(0), width, height);
    camera.waitForNewFrame();
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    // Warm up: FFmpeg loaded, first-use allocations done.
    Row warmup = measure(snapshotter, camera, size, "warm-up", 3, 1);
    (void)warmup;
    rows.push_back(measure(snapshotter, camera, size, "1 at a time", o.samples, 1));
    rows.push_back(measure(snapshotter, camera, size, std::to_string(o.concurrent) + " at once", o.rounds,
                           o.concurrent));
  }
  loops.stop();

  std::printf("| size | requests | count | decodes | p50 ms | p99 ms | max ms | CPU ms / decode | JPEG KB | failed |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& r : rows) {
    std::printf("| %s | %s | %zu | %llu | %.1f | %.1f | %.1f | %.1f | %.0f | %zu |\n", r.size.c_str(),
                r.mode.c_str(), r.requests, static_cast<unsigned long long>(r.decodes),
                percentile(r.latencies, 50), percentile(r.latencies, 99), percentile(r.latencies, 100),
                r.cpuMsPerDecode, r.jpegKb, r.failures);
  }
  std::printf("\nfull size (width 0), Snapshotter threads %d, stream 30 fps with an IDR every 30 frames; "
              "each request or round starts right after a new frame is published\n",
              o.threads);
  return 0;
}
