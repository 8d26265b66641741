#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "proto/hls/SegmentRing.h"

namespace ocellus::proto::hls {

// Low-Latency HLS media playlist of a ring (RFC 8216bis §4.4, Apple LL-HLS): EXT-X-VERSION 9,
// TARGETDURATION, SERVER-CONTROL with CAN-BLOCK-RELOAD, CAN-SKIP-UNTIL and PART-HOLD-BACK
// (3 × PART-TARGET),
// PART-INF, MEDIA-SEQUENCE, MAP, then per segment PROGRAM-DATE-TIME, the EXT-X-PART lines of
// segments within three target durations of the live edge (§4.4.4.9), EXTINF; the open
// segment's parts; and a PRELOAD-HINT for the next part (§4.4.5.3). Once the ring has finished,
// no hint and EXT-X-ENDLIST. An empty ring renders the header alone.
// `query` (without '?'), when not empty, is appended to every URI the playlist lists: a token
// for players that cannot send headers must reach the init segment, segments and parts too.
// Delta updates (§6.2.5.1): SERVER-CONTROL offers CAN-SKIP-UNTIL of six target durations, and
// with `skip` (the request's _HLS_skip) the complete segments that end that long or longer
// before the end of the playlist are replaced by one EXT-X-SKIP:SKIPPED-SEGMENTS=n (§4.4.5.2;
// for v2 with an empty RECENTLY-REMOVED-DATERANGES, as there are no date ranges). No skip once
// the ring has finished, or when nothing is that old: the full playlist.
std::string renderLowLatencyPlaylist(const SegmentRing& ring, std::string_view query = {},
                                     PlaylistRequest::Skip skip = PlaylistRequest::Skip::No);

// The same ring as a plain HLS playlist (version 6, complete segments only) for players that do
// not do LL-HLS.
std::string renderPlainPlaylist(const SegmentRing& ring, std::string_view query = {});

// One rendition in the multivariant playlist (§4.4.6.2).
struct Variant {
  std::uint64_t bandwidth = 0;  // peak bits per second
  std::uint32_t width = 0;      // RESOLUTION when both are set
  std::uint32_t height = 0;
  std::string codecs;           // RFC 6381 list, e.g. format::fmp4::codecsAttribute()
  std::string uri;
};
std::string renderMultivariantPlaylist(std::span<const Variant> variants);

// EXT-X-PROGRAM-DATE-TIME value: ISO 8601 UTC with milliseconds, 2024-05-01T12:00:00.250Z.
std::string formatProgramDateTime(std::chrono::milliseconds sinceEpoch);

// The writing helpers these playlists and the recordings' VOD playlists (record/VodPlaylist.h)
// share. The version a media playlist with EXT-X-MAP needs, byte ranges included (§7):
inline constexpr int kMapPlaylistVersion = 6;
// #EXTM3U, EXT-X-VERSION and EXT-X-TARGETDURATION lines.
void writePlaylistHeader(std::string& out, int version, std::int64_t targetSeconds);
// A duration in seconds as EXTINF and the part attributes write it: five decimals.
std::string formatSeconds(std::chrono::microseconds d);
// A URI as a playlist line or a quoted-string attribute can carry it (§4.2: no CR, LF or double
// quote): those bytes, other controls, space and non-ASCII bytes are percent-encoded (RFC 3986
// §2.1); everything else, '%' included, is kept as given.
std::string playlistUri(std::string_view uri);

}  // namespace ocellus::proto::hls
