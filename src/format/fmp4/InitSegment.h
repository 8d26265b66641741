#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "format/fmp4/Box.h"
#include "format/fmp4/TrackConfig.h"

namespace ocellus::format::fmp4 {

// The initialization segment of a fragmented MP4 / CMAF file (ISO/IEC 14496-12 §8.8, ISO/IEC
// 23000-19 §7.3): ftyp (iso6, compatible iso6 cmfc isom) then moov with mvhd, one trak per track
// (tkhd, mdia/mdhd/hdlr/minf with vmhd|smhd|nmhd, dinf/dref, stbl with one sample entry and
// empty stts/stsc/stsz/stco) and mvex with one trex per track. Sample entries: avc1+avcC,
// hvc1+hvcC, av01+av1C (AV1 in ISOBMFF §2), mp4a+esds (ISO/IEC 14496-14 §5.6), Opus+dOps (Opus in ISOBMFF §4.3), and for KLV a
// timed-metadata track (§12.3: handler 'meta', nmhd) whose URIMetaSampleEntry 'urim' names
// kKlvUri; each of its samples holds whole KLV packets (SMPTE ST 336) as received.
//
// write() takes 1..kMaxTracks tracks with distinct non-zero ids, at least one of them audio or
// video, and the codec configuration the sample entry needs; parse() reads such a segment back
// (ours or another muxer's), tolerating boxes it does not know, and yields the tracks in file
// order.
struct InitSegment {
  static constexpr std::size_t kMaxTracks = 16;
  static constexpr std::uint32_t kMovieTimescale = 1000;
  // The URI of our KLV tracks' 'urim' entries: the universal label of the MISB ST 0601 UAS
  // Datalink Local Set (STANAG 4609's metadata) as a URN (RFC 5119).
  static constexpr std::string_view kKlvUri = "urn:smpte:ul:060E2B34.020B0101.0E010301.01000000";

  FourCc majorBrand = 0;
  std::vector<FourCc> compatibleBrands;
  std::vector<TrackConfig> tracks;

  static base::Result<std::vector<std::uint8_t>> write(std::span<const TrackConfig> tracks);
  static base::Result<InitSegment> parse(std::span<const std::uint8_t> data);
};

}  // namespace ocellus::format::fmp4
