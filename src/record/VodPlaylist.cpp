#include "record/VodPlaylist.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <vector>

#include "proto/hls/Playlist.h"

namespace ocellus::record {
namespace {

using std::chrono::microseconds;

// A media segment: fragments [first, last] of one file, timed from the file's first fragment.
struct Segment {
  std::size_t first = 0;
  std::size_t last = 0;
  std::uint64_t start = 0;  // primary-track ticks since the file's first fragment
  std::uint64_t duration = 0;
  bool independent = false;
};

std::vector<Segment> segmentsOf(const SegmentLayout& layout) {
  std::vector<Segment> segments;
  const std::uint64_t target = static_cast<std::uint64_t>(kSegmentTargetMs) * layout.primaryTimescale / 1000;
  const std::uint64_t origin = layout.fragments.front().decodeTime;
  for (std::size_t i = 0; i < layout.fragments.size(); ++i) {
    const FragmentInfo& f = layout.fragments[i];
    // A non-independent fragment cannot start a segment; a leading run of them (a file that
    // begins without a keyframe) makes one segment of its own that is not independent.
    if (segments.empty() || (f.independent && (!segments.back().independent || segments.back().duration >= target))) {
      segments.push_back(Segment{i, i, f.decodeTime - std::min(origin, f.decodeTime), 0, f.independent});
    }
    segments.back().last = i;
    segments.back().duration += f.duration;
  }
  return segments;
}

microseconds ticks(std::uint64_t t, std::uint32_t timescale) {
  return microseconds(static_cast<std::int64_t>(t * 1'000'000 / timescale));
}

}  // namespace

base::Result<std::string> renderVodPlaylist(std::span<const RecordingFile> files, std::int64_t fromMs, std::int64_t toMs) {
  if (toMs <= fromMs) return base::makeError(base::ErrorCode::InvalidArgument, "vod playlist: an empty time range");
  const microseconds from = std::chrono::milliseconds(fromMs), to = std::chrono::milliseconds(toMs);
  std::string body;
  microseconds longest{0};
  bool independent = true;
  bool anyFile = false;
  for (const RecordingFile& file : files) {
    const SegmentLayout& layout = file.layout;
    if (layout.fragments.empty() || layout.primaryTimescale == 0) continue;
    const microseconds wallStart = std::chrono::milliseconds(file.wallStartMs);
    const std::string uri = proto::hls::playlistUri(file.url);
    bool listed = false;
    for (const Segment& s : segmentsOf(layout)) {
      const microseconds start = wallStart + ticks(s.start, layout.primaryTimescale);
      const microseconds duration = ticks(s.duration, layout.primaryTimescale);
      if (start >= to || start + duration <= from) continue;
      auto out = std::back_inserter(body);
      if (!listed) {
        if (anyFile) body += "#EXT-X-DISCONTINUITY\n";
        fmt::format_to(out, "#EXT-X-MAP:URI=\"{}\",BYTERANGE=\"{}@0\"\n#EXT-X-PROGRAM-DATE-TIME:{}\n", uri, layout.initSize,
                       proto::hls::formatProgramDateTime(std::chrono::floor<std::chrono::milliseconds>(start)));
        listed = anyFile = true;
      }
      const FragmentInfo& first = layout.fragments[s.first];
      const FragmentInfo& last = layout.fragments[s.last];
      fmt::format_to(out, "#EXT-X-BYTERANGE:{}@{}\n#EXTINF:{},\n{}\n", last.offset + last.size - first.offset, first.offset,
                     proto::hls::formatSeconds(duration), uri);
      longest = std::max(longest, duration);
      independent = independent && s.independent;
    }
  }
  if (!anyFile) {
    return base::makeError(base::ErrorCode::NotFound, fmt::format("vod playlist: no recording between {} and {}",
                                                                  proto::hls::formatProgramDateTime(std::chrono::milliseconds(fromMs)),
                                                                  proto::hls::formatProgramDateTime(std::chrono::milliseconds(toMs))));
  }
  std::string out;
  // EXTINF rounded to the nearest integer must not exceed the target (§4.4.3.1); ceil is safe.
  const std::int64_t target = std::max<std::int64_t>(1, (longest.count() + 999'999) / 1'000'000);
  proto::hls::writePlaylistHeader(out, proto::hls::kMapPlaylistVersion, target);
  out += "#EXT-X-PLAYLIST-TYPE:VOD\n";
  if (independent) out += "#EXT-X-INDEPENDENT-SEGMENTS\n";
  out += body;
  out += "#EXT-X-ENDLIST\n";
  return out;
}

}  // namespace ocellus::record
