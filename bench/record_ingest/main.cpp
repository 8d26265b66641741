// record_ingest — N cameras of 2 Mbit/s H.264 recorded at once (record::Recorder per camera, one
// record::DiskWriter) into a folder on the real disk; prints a markdown table per run of N.
//   record_ingest [--cameras 50,100,200] [--seconds 20] [--warmup 3] [--repeat 1]
//                 [--fsync none|fragment|segment] [--dir /var/tmp] [--loops CORES]
// What is measured: bench/README.md.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "common/Flags.h"
#include "common/Measure.h"
#include "common/PatternClip.h"
#include "common/ReplayedCamera.h"
#include "io/FileSystem.h"
#include "record/DiskWriter.h"
#include "record/Recorder.h"

namespace {

using namespace ocellus;
using namespace ocellus::bench;
using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<int> cameras{50, 100, 200};
  int seconds = 20;  // each measuring window
  int warmup = 3;    // before each window
  int repeat = 1;
  record::FsyncPolicy fsync = record::FsyncPolicy::Fragment;
  std::string dir = "/var/tmp";
  std::size_t loops = std::max(1u, std::thread::hardware_concurrency());
};

// One run of N cameras.
struct Run {
  int cameras = 0;
  double ingestMBs = 0;  // what the cameras publish
  double diskMBs = 0;    // what the DiskWriter wrote
  std::uint64_t fragments = 0;
  std::uint64_t dropped = 0;  // fragments the DiskWriter's queue refused (recorders count the same ones)
  std::uint64_t failures = 0; // files that failed
  double totalCpu = 0;       // % of one core, publishers and recorders
  double publisherCpu = 0;   // % of one core, publishers alone
  double rssBeforeMb = 0;    // publishers running, no recorder
  double rssWithMb = 0;      // N recorders at the end of the window
  double writeP50Ms = 0;
  double writeP99Ms = 0;

  double recordingCpu() const { return totalCpu - publisherCpu; }
  double recordingCpuPerCamera() const { return recordingCpu() / cameras; }
  double rssPerCameraMb() const { return (rssWithMb - rssBeforeMb) / cameras; }
};

// The filesystem type and source of the mount holding `path` (the longest mount point that is a
// prefix of it in /proc/self/mountinfo), e.g. {"ext4", "/dev/vda"}.
std::pair<std::string, std::string> filesystemOf(const std::string& path) {
  const std::string real = std::filesystem::canonical(path).string();
  std::ifstream mounts("/proc/self/mountinfo");
  std::string bestMount, type = "unknown", source = "?";
  for (std::string line; std::getline(mounts, line);) {
    // id parent major:minor root mount-point options [optional…] - type source super-options
    std::istringstream in(line);
    std::string id, parent, device, root, mount, field;
    in >> id >> parent >> device >> root >> mount;
    while (in >> field && field != "-") {
    }
    std::string fsType, fsSource;
    in >> fsType >> fsSource;
    const bool under = real == mount || mount == "/" ||
                       (real.rfind(mount, 0) == 0 && real.size() > mount.size() && real[mount.size()] == '/');
    if (under && mount.size() >= bestMount.size()) {
      bestMount = mount;
      type = fsType;
      source = fsSource;
    }
  }
  return {type, source};
}

// Cumulative counts of the writer's latency histogram per bucket at one moment: the histogram
// counts from the writer's start, so a window's percentiles come from two of these.
std::vector<std::uint64_t> latencyCounts(const base::Histogram& h) {
  std::vector<std::uint64_t> counts(base::Histogram::kBuckets);
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = h.countAtOrBelow(base::Histogram::upperBoundMicros(i));
  return counts;
}

// The p-th percentile (nearest rank, to the bucket's upper bound) of what was recorded between
// two latencyCounts(), in ms.
double latencyPercentileMs(const std::vector<std::uint64_t>& before, const std::vector<std::uint64_t>& after,
                           double p) {
  const std::uint64_t total = after.back() - before.back();
  if (total == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(total - 1)) + 1;
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (after[i] - before[i] >= rank) return static_cast<double>(base::Histogram::upperBoundMicros(i)) / 1000.0;
  }
  return static_cast<double>(base::Histogram::upperBoundMicros(after.size() - 1)) / 1000.0;
}

// Process CPU over `seconds` of wall time from now, in % of one core.
double cpuOver(int seconds) {
  const double cpu = processCpuMs();
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  return (processCpuMs() - cpu) / ms(Clock::now() - start) * 100;
}

// Stops every recorder and waits (bounded) until each has closed its file through the writer.
void stopAll(const std::vector<std::shared_ptr<record::Recorder>>& recorders) {
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t left = recorders.size();
  for (const auto& r : recorders) {
    r->stop([&] {
      std::lock_guard lock(mutex);
      if (--left == 0) cv.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return left == 0; })) {
    std::fprintf(stderr, "%zu recorders did not close within 30 s\n", left);
    std::exit(1);
  }
}

Run measure(const Options& o, int n, const PatternClip& clip, io::IoContextPool& loops, const std::string& root) {
  Run run;
  run.cameras = n;
  run.ingestMBs = clip.mbitPerSecond() * n / 8;

  // The publishers alone: N streams on the loops, each fed by its timer, no reader.
  const auto period = std::chrono::microseconds(1'000'000 / clip.fps);
  std::vector<std::unique_ptr<ReplayedCamera>> cameras;
  for (int i = 0; i < n; ++i) {
    cameras.push_back(std::make_unique<ReplayedCamera>(clip, loops.at(static_cast<std::size_t>(i) % loops.size()),
                                                       "cam" + std::to_string(i), period * i / n));
  }
  std::this_thread::sleep_for(std::chrono::seconds(o.warmup));
  run.publisherCpu = cpuOver(o.seconds);
  run.rssBeforeMb = rssMb();

  // The same plus a recorder per camera (on the loops in turn, as the server places them),
  // all writing through one DiskWriter.
  record::DiskWriter writer(io::FileSystem::real());
  std::atomic<std::uint64_t> failures{0};
  std::vector<std::shared_ptr<record::Recorder>> recorders;
  for (int i = 0; i < n; ++i) {
    auto recorder = record::Recorder::create({.cameraId = "cam" + std::to_string(i),
                                              .root = root,
                                              .segmentLength = std::chrono::seconds(600),
                                              .fragmentLength = std::chrono::milliseconds(1000),
                                              .fsync = o.fsync},
                                             loops.next(), writer, base::Clock::system(),
                                             [&failures](const record::SegmentEvent& e) {
                                               if (e.type != record::SegmentEvent::Type::Failed) return;
                                               if (failures.fetch_add(1) == 0) std::fprintf(stderr, "%s\n", e.error.c_str());
                                             });
    if (!recorder) {
      std::fprintf(stderr, "recorder: %s\n", recorder.error().describe().c_str());
      std::exit(1);
    }
    (*recorder)->attach(cameras[static_cast<std::size_t>(i)]->stream());
    recorders.push_back(std::move(recorder).value());
  }
  std::this_thread::sleep_for(std::chrono::seconds(o.warmup));
  const auto statsBefore = writer.stats();
  const auto latencyBefore = latencyCounts(writer.writeLatency());
  const auto failuresBefore = failures.load();
  const auto start = Clock::now();
  run.totalCpu = cpuOver(o.seconds);
  const double window = ms(Clock::now() - start) / 1000;
  const auto statsAfter = writer.stats();
  const auto latencyAfter = latencyCounts(writer.writeLatency());
  run.rssWithMb = rssMb();

  run.diskMBs = static_cast<double>(statsAfter.bytesWritten - statsBefore.bytesWritten) / 1e6 / window;
  run.fragments = statsAfter.fragmentsWritten - statsBefore.fragmentsWritten;
  run.dropped = statsAfter.fragmentsDropped - statsBefore.fragmentsDropped;
  run.failures = failures.load() - failuresBefore;
  run.writeP50Ms = latencyPercentileMs(latencyBefore, latencyAfter, 50);
  run.writeP99Ms = latencyPercentileMs(latencyBefore, latencyAfter, 99);

  stopAll(recorders);
  writer.stop();
  cameras.clear();
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
  std::filesystem::create_directory(root, ec);
  return run;
}

// One measure() in a child process with loops of its own: every run starts from the same memory
// (in one process, what an earlier run freed and the allocator kept would hide the next run's
// growth) and no run inherits another's threads. Only the parent's clip is shared.
Run measureInChild(const Options& o, int n, const PatternClip& clip, const std::string& root) {
  static_assert(std::is_trivially_copyable_v<Run>);
  int fds[2];
  if (pipe(fds) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    io::IoContextPool loops(o.loops, "media");
    loops.start();
    const Run run = measure(o, n, clip, loops, root);
    loops.stop();
    const bool sent = write(fds[1], &run, sizeof run) == static_cast<ssize_t>(sizeof run);
    _exit(sent ? 0 : 1);
  }
  close(fds[1]);
  Run run;
  const bool received = pid > 0 && read(fds[0], &run, sizeof run) == static_cast<ssize_t>(sizeof run);
  close(fds[0]);
  int status = 0;
  if (pid > 0) waitpid(pid, &status, 0);
  if (!received || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the run of %d cameras failed\n", n);
    std::exit(1);
  }
  return run;
}

// The run whose recording CPU is the median: its total and publisher figures are shown together,
// so that the table's recording % is its total − publisher.
const Run& medianRun(const std::vector<Run>& runs) {
  std::vector<const Run*> sorted;
  for (const auto& r : runs) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](const Run* a, const Run* b) { return a->recordingCpu() < b->recordingCpu(); });
  return *sorted[sorted.size() / 2];
}

// Median of one figure over the repeats.
template <typename F>
double median(const std::vector<Run>& runs, F figure) {
  std::vector<double> v;
  for (const auto& r : runs) v.push_back(static_cast<double>(figure(r)));
  return percentile(v, 50);
}

template <typename F>
std::uint64_t worst(const std::vector<Run>& runs, F figure) {
  std::uint64_t w = 0;
  for (const auto& r : runs) w = std::max<std::uint64_t>(w, figure(r));
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const bool parsed = parseFlags(argc, argv, [&o](std::string_view a, const char* v) {
    if (a == "--cameras") {
      o.cameras = parseList(v);
    } else if (a == "--seconds") {
      o.seconds = std::atoi(v);
    } else if (a == "--warmup") {
      o.warmup = std::atoi(v);
    } else if (a == "--repeat") {
      o.repeat = std::max(1, std::atoi(v));
    } else if (a == "--fsync" && record::parseFsyncPolicy(v)) {
      o.fsync = *record::parseFsyncPolicy(v);
    } else if (a == "--dir") {
      o.dir = v;
    } else if (a == "--loops") {
      o.loops = static_cast<std::size_t>(std::max(1, std::atoi(v)));
    } else {
      return false;
    }
    return true;
  });
  if (!parsed) {
    std::fprintf(stderr,
                 "usage: record_ingest [--cameras 50,100,200] [--seconds 20] [--warmup 3] [--repeat 1] "
                 "[--fsync none|fragment|segment] [--dir /var/tmp] [--loops CORES]\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);

  // Recordings go to the real disk: a tmpfs would measure memory copies, not the writer.
  std::string root = o.dir + "/ocellus-record-ingest-XXXXXX";
  if (!mkdtemp(root.data())) {
    std::fprintf(stderr, "cannot make a folder under %s\n", o.dir.c_str());
    return 1;
  }
  const auto [fsType, fsSource] = filesystemOf(root);
  if (fsType == "tmpfs" || fsType == "ramfs") {
    std::fprintf(stderr, "%s is on %s: give --dir a folder on a disk\n", o.dir.c_str(), fsType.c_str());
    std::filesystem::remove_all(root);
    return 1;
  }

  // Two seconds (two GOPs) encoded once and replayed into every stream, filled up to 2 Mbit/s.
  auto clip = PatternClip::encode({.width = 1280, .height = 720, .fps = 30, .bitrateKbps = 2000, .gop = 30}, 60);
  clip.fillTo(2000);
  std::map<int, std::vector<Run>> runs;
  for (int r = 0; r < o.repeat; ++r) {
    for (const int n : o.cameras) {
      const Run& x = runs[n].emplace_back(measureInChild(o, n, clip, root));
      std::fprintf(stderr,
                   "%d cameras, run %d of %d: disk %.1f MB/s, %llu fragments, %llu dropped, CPU %.1f %% "
                   "(publisher %.1f %%), RSS %.1f → %.1f MB, write p50 %.2f p99 %.2f ms\n",
                   n, r + 1, o.repeat, x.diskMBs, static_cast<unsigned long long>(x.fragments),
                   static_cast<unsigned long long>(x.dropped), x.totalCpu, x.publisherCpu, x.rssBeforeMb, x.rssWithMb,
                   x.writeP50Ms, x.writeP99Ms);
    }
  }
  std::filesystem::remove_all(root);

  std::printf("Targets (issue 6): 200 cameras recorded with under one core in total; < 3 MB RSS per camera.\n\n");
  std::printf("| cameras | ingest MB/s | disk MB/s | fragments | dropped | failed files | CPU %% total | "
              "publisher %% | recording %% | recording %% / camera | RSS MB before | RSS MB / camera | "
              "write p50 / p99 ms |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const int n : o.cameras) {
    const auto& v = runs[n];
    const Run& m = medianRun(v);
    std::printf("| %d | %.1f | %.1f | %.0f | %llu | %llu | %.1f | %.1f | %.1f | %.3f | %.1f | %.2f | %.2f / %.2f |\n",
                n, median(v, [](const Run& x) { return x.ingestMBs; }),
                median(v, [](const Run& x) { return x.diskMBs; }),
                median(v, [](const Run& x) { return x.fragments; }),
                static_cast<unsigned long long>(worst(v, [](const Run& x) { return x.dropped; })),
                static_cast<unsigned long long>(worst(v, [](const Run& x) { return x.failures; })),
                m.totalCpu, m.publisherCpu, m.recordingCpu(), m.recordingCpuPerCamera(),
                median(v, [](const Run& x) { return x.rssBeforeMb; }),
                median(v, [](const Run& x) { return x.rssPerCameraMb(); }),
                median(v, [](const Run& x) { return x.writeP50Ms; }),
                median(v, [](const Run& x) { return x.writeP99Ms; }));
  }
  std::printf("\n1280x720 30 fps H.264, IDR every 30 frames, %.2f Mbit/s per camera with filler NAL units (2 s encoded "
              "once, replayed); "
              "segments 600 s, fragments 1 s, fsync %s; %zu media loops; %d s windows after %d s warm-up; "
              "%s (%s) under %s; medians of %d run%s (CPU: the run with the median recording %%), dropped and failed: "
              "worst run; each run in a process of its own\n",
              clip.mbitPerSecond(), std::string(record::fsyncPolicyName(o.fsync)).c_str(), o.loops, o.seconds,
              o.warmup, fsType.c_str(), fsSource.c_str(), o.dir.c_str(), o.repeat, o.repeat > 1 ? "s" : "");
  return 0;
}
