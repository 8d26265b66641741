#include "proto/hls/Playlist.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "proto/hls/ResourceName.h"

namespace ocellus::proto::hls {
namespace {

using std::chrono::microseconds;

constexpr int kLowLatencyVersion = 9;
constexpr int kPartHoldBackParts = 3;
constexpr int kPartListTargets = 3;  // parts stay listed this many target durations (§4.4.4.9)
constexpr int kSkipBoundaryTargets = 6;  // CAN-SKIP-UNTIL: at least six target durations (§4.4.3.8)

// EXTINF rounded to the nearest integer must not exceed it (§4.4.3.1).
std::int64_t targetSeconds(const SegmentRing& ring) {
  const microseconds longest = std::max(ring.config().targetDuration, ring.maxSegmentDuration());
  return std::max<std::int64_t>(1, (longest.count() + 500'000) / 1'000'000);
}

microseconds partTarget(const SegmentRing& ring) { return std::max(ring.config().partTarget, ring.maxPartDuration()); }

std::string uri(std::string_view name, std::string_view query) {
  return query.empty() ? std::string(name) : fmt::format("{}?{}", name, query);
}

void segmentsHead(std::string& out, const SegmentRing& ring, std::string_view query) {
  const auto& segments = ring.segments();
  fmt::format_to(std::back_inserter(out), "#EXT-X-MEDIA-SEQUENCE:{}\n#EXT-X-MAP:URI=\"{}\"\n",
                 segments.empty() ? ring.config().firstMsn : segments.front().msn, uri(kInitName, query));
}

void segmentLine(std::string& out, const Segment& s, std::string_view query) {
  fmt::format_to(std::back_inserter(out), "#EXTINF:{},\n{}\n", formatSeconds(s.duration), uri(segmentName(s.msn), query));
}

}  // namespace

void writePlaylistHeader(std::string& out, int version, std::int64_t target) {
  fmt::format_to(std::back_inserter(out), "#EXTM3U\n#EXT-X-VERSION:{}\n#EXT-X-TARGETDURATION:{}\n", version, target);
}

std::string formatSeconds(microseconds d) { return fmt::format("{:.5f}", static_cast<double>(d.count()) / 1e6); }

std::string playlistUri(std::string_view uri) {
  std::string out;
  out.reserve(uri.size());
  for (const char c : uri) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == '"' || b >= 0x7f) {
      fmt::format_to(std::back_inserter(out), "%{:02X}", b);
    } else {
      out += c;
    }
  }
  return out;
}

std::string formatProgramDateTime(std::chrono::milliseconds sinceEpoch) {
  const auto days = std::chrono::floor<std::chrono::days>(sinceEpoch);
  const std::chrono::year_month_day date{std::chrono::sys_days{days}};
  const std::int64_t ms = (sinceEpoch - days).count();
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), ms / 3'600'000,
                     ms / 60'000 % 60, ms / 1000 % 60, ms % 1000);
}

std::string renderLowLatencyPlaylist(const SegmentRing& ring, std::string_view query, PlaylistRequest::Skip skip) {
  std::string out;
  const microseconds part = partTarget(ring);
  const microseconds skipBoundary = std::chrono::seconds(targetSeconds(ring)) * kSkipBoundaryTargets;
  writePlaylistHeader(out, kLowLatencyVersion, targetSeconds(ring));
  fmt::format_to(std::back_inserter(out),
                 "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL={},PART-HOLD-BACK={}\n"
                 "#EXT-X-PART-INF:PART-TARGET={}\n",
                 formatSeconds(skipBoundary), formatSeconds(part * kPartHoldBackParts), formatSeconds(part));
  segmentsHead(out, ring, query);

  // Parts are listed for the segments that end within three target durations of the live edge;
  // a delta update (§6.2.5.1) leaves out the segments that end the skip boundary or more before
  // it (never the open one, nor any whose parts are listed: the boundary is further back).
  const auto& segments = ring.segments();
  const microseconds window = std::chrono::seconds(targetSeconds(ring)) * kPartListTargets;
  microseconds fromEnd{0};
  std::size_t firstWithParts = segments.size();
  std::size_t skipped = 0;
  for (std::size_t i = segments.size(); i-- > 0;) {
    if (fromEnd <= window) firstWithParts = i;
    if (fromEnd >= skipBoundary && segments[i].complete && skip != PlaylistRequest::Skip::No && !ring.finished()) {
      skipped = i + 1;
      break;
    }
    fromEnd += segments[i].duration;
  }
  if (skipped > 0) {
    fmt::format_to(std::back_inserter(out), "#EXT-X-SKIP:SKIPPED-SEGMENTS={}{}\n", skipped,
                   skip == PlaylistRequest::Skip::V2 ? ",RECENTLY-REMOVED-DATERANGES=\"\"" : "");
  }
  for (std::size_t i = skipped; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    fmt::format_to(std::back_inserter(out), "#EXT-X-PROGRAM-DATE-TIME:{}\n", formatProgramDateTime(s.programDateTime));
    if (i >= firstWithParts) {
      for (std::uint32_t p = 0; p < s.parts.size(); ++p) {
        fmt::format_to(std::back_inserter(out), "#EXT-X-PART:DURATION={},URI=\"{}\"{}\n", formatSeconds(s.parts[p].duration),
                       uri(partName(s.firstPart + p), query), s.parts[p].independent ? ",INDEPENDENT=YES" : "");
      }
    }
    if (s.complete) segmentLine(out, s, query);
  }
  if (ring.finished()) {
    out += "#EXT-X-ENDLIST\n";
  } else if (!segments.empty()) {
    fmt::format_to(std::back_inserter(out), "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"{}\"\n",
                   uri(partName(ring.nextPart()), query));
  }
  return out;
}

std::string renderPlainPlaylist(const SegmentRing& ring, std::string_view query) {
  std::string out;
  writePlaylistHeader(out, kMapPlaylistVersion, targetSeconds(ring));
  segmentsHead(out, ring, query);
  for (const Segment& s : ring.segments()) {
    if (!s.complete) continue;
    fmt::format_to(std::back_inserter(out), "#EXT-X-PROGRAM-DATE-TIME:{}\n", formatProgramDateTime(s.programDateTime));
    segmentLine(out, s, query);
  }
  if (ring.finished()) out += "#EXT-X-ENDLIST\n";
  return out;
}

std::string renderMultivariantPlaylist(std::span<const Variant> variants) {
  std::string out = "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const auto& v : variants) {
    fmt::format_to(std::back_inserter(out), "#EXT-X-STREAM-INF:BANDWIDTH={}", v.bandwidth);
    if (v.width && v.height) fmt::format_to(std::back_inserter(out), ",RESOLUTION={}x{}", v.width, v.height);
    if (!v.codecs.empty()) fmt::format_to(std::back_inserter(out), ",CODECS=\"{}\"", v.codecs);
    fmt::format_to(std::back_inserter(out), "\n{}\n", v.uri);
  }
  return out;
}

}  // namespace ocellus::proto::hls
