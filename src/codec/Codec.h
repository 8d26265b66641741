#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ocellus::codec {

// KLV: SMPTE 336M metadata (MISB ST 0601 and friends), one unit per set of KLV packets.
enum class CodecId : std::uint8_t { H264, H265, VP8, VP9, AV1, AAC, Opus, PCMU, PCMA, KLV };
enum class MediaKind : std::uint8_t { Video, Audio, Data };

MediaKind mediaKind(CodecId id);
// The RTP encoding name: "H264", "H265", "VP8", "VP9", "AV1", "MPEG4-GENERIC", "opus", "PCMU",
// "PCMA", "smpte336m".
std::string_view codecName(CodecId id);
// The RTP clock rate a codec uses when nothing else says (90 kHz video and KLV, 48 kHz Opus,
// 8 kHz G.711).
std::uint32_t defaultClockRate(CodecId id);

// Canonical in-memory form of a video access unit in a media::Unit: the NAL units of one
// picture, each preceded by a 4-byte big-endian length (as in ISO/IEC 14496-15 with
// lengthSizeMinusOne = 3), so fMP4 and FLV writers take it as is and RTP packetizers
// walk it without scanning for start codes. A VP8 or VP9 unit is one frame as the encoder
// wrote it (a VP9 superframe included), as in IVF and WebM. An AV1 unit is one temporal unit
// in the low-overhead bitstream format, every OBU with its size field and no temporal
// delimiter (the AV1 ISOBMFF binding §2.4). Audio units hold one raw frame (AAC raw data
// block without ADTS, one Opus packet, G.711 samples). A KLV unit holds whole KLV packets.
inline constexpr std::size_t kNalLengthSize = 4;

}  // namespace ocellus::codec
