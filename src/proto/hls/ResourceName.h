#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::proto::hls {

// The names of everything an HLS stream serves, relative to its base path. One function makes
// each, and parseResourceName() maps a request's last path component back, so server code never
// formats or scans them itself:
//   index.m3u8  multivariant playlist      stream.m3u8  media playlist     init.mp4  init segment
//   seg{msn}.mp4  a whole segment          part{n}.mp4  one part (LL-HLS)
// Parts are numbered by one running count across segments (SegmentRing), not by their place in
// a segment: the part a preload hint names is then the next one whichever segment it starts, so
// a player's hinted GET is answered with it rather than a 404 at every segment's end.
enum class ResourceKind : std::uint8_t { Multivariant, MediaPlaylist, Init, Segment, Part };

struct Resource {
  ResourceKind kind = ResourceKind::Multivariant;
  std::uint64_t number = 0;  // Segment: its msn; Part: its running number
  bool operator==(const Resource&) const = default;
};

inline constexpr std::string_view kMultivariantName = "index.m3u8";
inline constexpr std::string_view kMediaPlaylistName = "stream.m3u8";
inline constexpr std::string_view kInitName = "init.mp4";

std::string segmentName(std::uint64_t msn);
std::string partName(std::uint64_t number);

// NotFound naming the input when it is not one of the names above; numbers are plain decimal
// (no sign, no leading zeros, within range), so each resource has exactly one name.
base::Result<Resource> parseResourceName(std::string_view name);

}  // namespace ocellus::proto::hls
