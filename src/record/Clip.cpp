#include "record/Clip.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "format/fmp4/Fragment.h"

namespace ocellus::record {
namespace {

using format::fmp4::Fragment;

constexpr std::int64_t kUsPerSecond = 1'000'000;

// Whole seconds first, so absolute decode times (a tfdt may count from any origin) do not overflow.
std::int64_t toUs(std::uint64_t ticks, std::uint32_t timescale) {
  return static_cast<std::int64_t>(ticks / timescale * kUsPerSecond + ticks % timescale * kUsPerSecond / timescale);
}
std::uint64_t toTicks(std::int64_t us, std::uint32_t timescale) {
  const auto u = static_cast<std::uint64_t>(std::max<std::int64_t>(us, 0));
  return u / kUsPerSecond * timescale + u % kUsPerSecond * timescale / kUsPerSecond;
}

// The wall clock of a file's samples: its first fragment's primary decode time is wallStartMs.
struct FileClock {
  std::int64_t wallStartUs = 0;
  std::int64_t originUs = 0;

  explicit FileClock(const RecordingFile& file)
      : wallStartUs(file.wallStartMs * 1000),
        originUs(toUs(file.layout.fragments.front().decodeTime, file.layout.primaryTimescale)) {}
  std::int64_t wallUs(std::uint64_t decodeTime, std::uint32_t timescale) const {
    return wallStartUs + toUs(decodeTime, timescale) - originUs;
  }
  std::int64_t fragmentUs(const SegmentLayout& layout, std::size_t i) const {
    return wallUs(layout.fragments[i].decodeTime, layout.primaryTimescale);
  }
};

bool playable(const RecordingFile& file) { return !file.layout.fragments.empty() && file.layout.primaryTimescale != 0; }

// One fragment read whole from its file; the parsed samples view `bytes`.
struct LoadedFragment {
  std::vector<std::uint8_t> bytes;
  Fragment fragment;
};

base::Result<LoadedFragment> load(io::FileSystem& fs, const std::string& path, const FragmentInfo& info) {
  auto bytes = fs.read(path, info.offset, info.size);
  if (!bytes) return bytes.error();
  if (bytes->size() != info.size) {
    return base::makeError(base::ErrorCode::Truncated, fmt::format("{}: fragment at {} cut short", path, info.offset));
  }
  LoadedFragment loaded{std::move(*bytes), {}};
  auto fragment = Fragment::parse(loaded.bytes);
  if (!fragment) return base::makeError(fragment.error().code, path + ": " + fragment.error().message);
  loaded.fragment = std::move(*fragment);
  return loaded;
}

// Where the clip starts: a primary-track sync sample, in file `file`, fragment `fragment`.
struct Start {
  std::size_t file = 0;
  std::size_t fragment = 0;
  std::int64_t wallUs = 0;
};

// The last primary sync sample at or before `fromUs` in the file that covers it, else the first
// one after it; reads from the last independent fragment at or before fromUs (about one GOP).
base::Result<std::optional<Start>> findStart(io::FileSystem& fs, std::span<const RecordingFile> files, std::int64_t fromUs,
                                             std::int64_t toUs) {
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    const RecordingFile& file = files[fi];
    if (!playable(file)) continue;
    const SegmentLayout& layout = file.layout;
    const FileClock clock(file);
    const FragmentInfo& last = layout.fragments.back();
    if (clock.wallUs(last.decodeTime + last.duration, layout.primaryTimescale) <= fromUs) continue;
    std::size_t from = 0;
    for (std::size_t i = 0; i < layout.fragments.size() && clock.fragmentUs(layout, i) <= fromUs; ++i) {
      if (layout.fragments[i].independent) from = i;
    }
    std::optional<Start> chosen;
    for (std::size_t i = from; i < layout.fragments.size(); ++i) {
      const std::int64_t fragmentStart = clock.fragmentUs(layout, i);
      if (fragmentStart >= toUs || (chosen && fragmentStart > fromUs)) return chosen;
      auto loaded = load(fs, file.path, layout.fragments[i]);
      if (!loaded) return loaded.error();
      for (const auto& track : loaded->fragment.tracks) {
        if (track.trackId != layout.primaryTrackId) continue;
        std::uint64_t t = track.baseDecodeTime;
        for (const auto& s : track.samples) {
          const std::int64_t w = clock.wallUs(t, layout.primaryTimescale);
          t += s.duration;
          if (!s.keyframe()) continue;
          if (w >= toUs || (w > fromUs && chosen)) return chosen;
          chosen = Start{fi, i, w};
          if (w > fromUs) return chosen;
        }
      }
    }
    if (chosen) return chosen;
  }
  return std::optional<Start>{};
}

// Rebuilds the fragments of the clip, file by file, onto one continuous timeline.
class ClipWriter {
 public:
  ClipWriter(io::FileSystem& fs, const RecordingFile& first, std::int64_t toUs, io::WritableFile& out)
      : fs_(fs), first_(first), toUs_(toUs), out_(out) {
    for (const auto& t : first.layout.tracks) tracks_.push_back(TrackOut{t.id, t.timescale, 0, std::nullopt});
  }

  base::Status writeInit() {
    auto init = fs_.read(first_.path, 0, first_.layout.initSize);
    if (!init) return init.error();
    if (init->size() != first_.layout.initSize) {
      return base::makeError(base::ErrorCode::Truncated, first_.path + ": init segment cut short");
    }
    return append(*init);
  }

  // Writes `file`'s fragments from `fragment` on, samples from `wallOriginUs` to the end of the
  // range; false once the range has ended.
  base::Result<bool> writeFile(const RecordingFile& file, std::size_t fragment, std::int64_t wallOriginUs) {
    const FileClock clock(file);
    // This file's samples continue where the previous file's primary track ended.
    const std::int64_t clipOriginUs = toUs(primary().nextTick, primary().timescale);
    for (auto& t : tracks_) t.shift.reset();
    for (std::size_t i = fragment; i < file.layout.fragments.size(); ++i) {
      if (clock.fragmentUs(file.layout, i) >= toUs_) return false;
      auto loaded = load(fs_, file.path, file.layout.fragments[i]);
      if (!loaded) return loaded.error();
      OCELLUS_TRY(writeFragment(loaded->fragment, clock, wallOriginUs, clipOriginUs));
    }
    return true;
  }

  ClipResult result(std::int64_t startUs, bool truncatedAtTrackChange) const {
    return ClipResult{startUs / 1000, lastEndWallUs_ / 1000, toUs(primary().nextTick, primary().timescale) / 1000, bytes_,
                      truncatedAtTrackChange};
  }

 private:
  struct TrackOut {
    std::uint32_t id = 0;
    std::uint32_t timescale = 0;
    std::uint64_t nextTick = 0;         // where this track's output ends so far
    std::optional<std::int64_t> shift;  // output = input decode time + shift, for the current file
  };

  const TrackOut& primary() const {
    return *std::ranges::find(tracks_, first_.layout.primaryTrackId, &TrackOut::id);
  }

  base::Status append(std::span<const std::uint8_t> bytes) {
    OCELLUS_TRY(out_.append(bytes));
    bytes_ += bytes.size();
    return {};
  }

  base::Status writeFragment(const Fragment& fragment, const FileClock& clock, std::int64_t wallOriginUs,
                             std::int64_t clipOriginUs) {
    std::vector<std::vector<format::fmp4::Sample>> samples(fragment.tracks.size());
    std::vector<format::fmp4::TrackRun> runs;
    for (std::size_t k = 0; k < fragment.tracks.size(); ++k) {
      const auto& track = fragment.tracks[k];
      const auto out = std::ranges::find(tracks_, track.trackId, &TrackOut::id);
      if (out == tracks_.end()) continue;
      std::uint64_t t = track.baseDecodeTime;
      std::optional<std::uint64_t> firstTick;
      std::int64_t lastWall = 0;
      std::uint64_t duration = 0;
      for (const auto& s : track.samples) {
        const std::int64_t w = clock.wallUs(t, out->timescale);
        if (w >= wallOriginUs && w < toUs_) {
          if (!firstTick) firstTick = t;
          samples[k].push_back(format::fmp4::Sample{s.data, s.duration, s.ctsOffset, s.keyframe()});
          duration += s.duration;
          lastWall = clock.wallUs(t + s.duration, out->timescale);
        }
        t += s.duration;
      }
      if (!firstTick) continue;
      if (!out->shift) {
        const std::int64_t clipUs = clipOriginUs + clock.wallUs(*firstTick, out->timescale) - wallOriginUs;
        out->shift = static_cast<std::int64_t>(std::max(out->nextTick, toTicks(clipUs, out->timescale)) - *firstTick);
      }
      // Never before what this track already wrote: another file's tracks may end unevenly.
      const std::uint64_t base = std::max(out->nextTick, static_cast<std::uint64_t>(static_cast<std::int64_t>(*firstTick) + *out->shift));
      runs.push_back(format::fmp4::TrackRun{track.trackId, base, samples[k]});
      out->nextTick = base + duration;
      if (track.trackId == first_.layout.primaryTrackId) lastEndWallUs_ = lastWall;
    }
    if (runs.empty()) return {};
    buffer_.clear();
    OCELLUS_TRY(Fragment::write(++sequence_, runs, buffer_));
    return append(buffer_);
  }

  io::FileSystem& fs_;
  const RecordingFile& first_;
  std::int64_t toUs_;
  io::WritableFile& out_;
  std::vector<TrackOut> tracks_;
  std::vector<std::uint8_t> buffer_;  // one output fragment, reused
  std::uint32_t sequence_ = 0;
  std::uint64_t bytes_ = 0;
  std::int64_t lastEndWallUs_ = 0;
};

}  // namespace

base::Result<ClipResult> exportClip(io::FileSystem& fs, std::span<const RecordingFile> files, std::int64_t fromMs,
                                    std::int64_t toMs, io::WritableFile& out) {
  if (toMs <= fromMs) return base::makeError(base::ErrorCode::InvalidArgument, "clip: an empty time range");
  const std::int64_t fromUs = fromMs * 1000, toUs = toMs * 1000;
  auto start = findStart(fs, files, fromUs, toUs);
  if (!start) return start.error();
  if (!*start) return base::makeError(base::ErrorCode::NotFound, "clip: no keyframe recorded in the range");

  const RecordingFile& first = files[(*start)->file];
  ClipWriter writer(fs, first, toUs, out);
  OCELLUS_TRY(writer.writeInit());
  bool trackChange = false;
  for (std::size_t fi = (*start)->file; fi < files.size(); ++fi) {
    const RecordingFile& file = files[fi];
    if (!playable(file)) continue;
    const bool isFirst = fi == (*start)->file;
    const std::int64_t wallOriginUs = isFirst ? (*start)->wallUs : FileClock(file).fragmentUs(file.layout, 0);
    if (wallOriginUs >= toUs) break;
    if (!isFirst && file.layout.tracks != first.layout.tracks) {
      trackChange = true;
      break;
    }
    auto more = writer.writeFile(file, isFirst ? (*start)->fragment : 0, wallOriginUs);
    if (!more) return more.error();
    if (!*more) break;
  }
  return writer.result((*start)->wallUs, trackChange);
}

}  // namespace ocellus::record
