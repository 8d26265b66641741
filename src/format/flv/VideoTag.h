#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace ocellus::format::flv {

// The codecs a video tag body may carry here: legacy AVC (CodecID 7) and the Enhanced RTMP
// FourCCs (Enhanced RTMP v1/v2, "Enhancing RTMP, FLV"): 'avc1', 'hvc1', 'av01', 'vp09'.
enum class VideoCodec : std::uint8_t { H264, H265, AV1, VP9 };
// The FourCC that names a codec in an enhanced header (and, as a number, in onMetaData's
// videocodecid).
std::uint32_t fourCcOf(VideoCodec codec);

// FLV VIDEODATA FrameType (FLV spec v10.1 §E.4.3.1): 1 key, 2 inter, 3 disposable inter,
// 4 generated key, 5 video info/command frame.
enum class VideoFrameType : std::uint8_t { Key = 1, Inter = 2, DisposableInter = 3, GeneratedKey = 4, Command = 5 };

// What the body holds, in Enhanced RTMP's terms (legacy AVCPacketType 0/1/2 map to
// SequenceStart / CodedFrames / SequenceEnd).
enum class VideoPacketType : std::uint8_t {
  SequenceStart = 0,  // the decoder configuration record (avcC, hvcC, av1C, vpcC)
  CodedFrames = 1,    // samples, with a composition time offset for avc1/hvc1
  SequenceEnd = 2,
  CodedFramesX = 3,   // samples, composition time offset 0 and not written
  Metadata = 4,       // AMF-encoded colour/HDR metadata
};

// The fields of one FLV video tag body (an RTMP video message payload) and a view of its
// data: the decoder configuration record for SequenceStart, the length-prefixed NAL units
// (or OBUs / VP9 frames) for coded frames. Views point into the parsed bytes, which must
// outlive the tag.
//
//   legacy:   FrameType(4) CodecID(4)=7 | AVCPacketType(8) | CompositionTime(SI24) | data
//   enhanced: IsExHeader(1)=1 FrameType(3) PacketType(4) | FourCC(32) | [SI24 cts] | data
//
// Command frames (FrameType 5) carry no media; parse() reports them with their data and
// packet type as written. Other legacy codec ids (H.263, VP6, ...), multitrack and ModEx
// packets are Unsupported; a body too short for its fields is Truncated.
struct VideoTag {
  VideoFrameType frameType = VideoFrameType::Inter;
  VideoCodec codec = VideoCodec::H264;
  VideoPacketType packetType = VideoPacketType::CodedFrames;
  bool enhanced = false;
  std::int32_t compositionTime = 0;  // milliseconds, PTS - DTS
  std::span<const std::uint8_t> data;

  bool keyframe() const { return frameType == VideoFrameType::Key || frameType == VideoFrameType::GeneratedKey; }

  static constexpr std::uint8_t kAvcCodecId = 7;

  static base::Result<VideoTag> parse(std::span<const std::uint8_t> body);
  // A view of a temporary would dangle at once.
  static base::Result<VideoTag> parse(std::vector<std::uint8_t>&& body) = delete;

  // The bytes before the data of a coded-frames body: H.264 legacy (5 bytes), H.265
  // enhanced CodedFrames with cts (8) or CodedFramesX when cts is 0 (5), AV1/VP9 CodedFrames
  // (5, no cts). The access unit follows as is (for H.264/H.265 our canonical 4-byte
  // length-prefixed NAL units, codec/Codec.h), so a caller can chunk head + unit without
  // joining them (proto/rtmp/ChunkWriter).
  static std::vector<std::uint8_t> frameHeader(VideoCodec codec, bool keyframe, std::int32_t compositionTime);
  static std::vector<std::uint8_t> frame(VideoCodec codec, bool keyframe, std::int32_t compositionTime,
                                         std::span<const std::uint8_t> accessUnit);
  // SequenceStart with a decoder configuration record passed as opaque bytes.
  static std::vector<std::uint8_t> sequenceStart(VideoCodec codec, std::span<const std::uint8_t> record);
  static std::vector<std::uint8_t> sequenceEnd(VideoCodec codec);
};

}  // namespace ocellus::format::flv
