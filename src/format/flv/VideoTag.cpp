#include "format/flv/VideoTag.h"

#include <string>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"

namespace ocellus::format::flv {
namespace {

constexpr std::uint8_t kExHeaderBit = 0x80;

constexpr std::uint32_t fourcc(const char (&s)[5]) {
  return std::uint32_t(std::uint8_t(s[0])) << 24 | std::uint32_t(std::uint8_t(s[1])) << 16 |
         std::uint32_t(std::uint8_t(s[2])) << 8 | std::uint8_t(s[3]);
}
constexpr std::uint32_t kAvc1 = fourcc("avc1");
constexpr std::uint32_t kHvc1 = fourcc("hvc1");
constexpr std::uint32_t kAv01 = fourcc("av01");
constexpr std::uint32_t kVp09 = fourcc("vp09");

std::int32_t signed24(std::uint32_t v) {
  return (v & 0x800000) != 0 ? static_cast<std::int32_t>(v) - 0x1000000 : static_cast<std::int32_t>(v);
}

base::Error truncated(const char* what) {
  return base::makeError(base::ErrorCode::Truncated, std::string("flv video tag: ") + what);
}

// Whether a coded-frames body of this codec carries a composition time (Enhanced RTMP:
// only avc1 and hvc1 do; AV1 and VP9 have no B-frame reordering in this sense).
bool hasCompositionTime(VideoCodec codec) {
  return codec == VideoCodec::H264 || codec == VideoCodec::H265;
}

base::Status checkFrameType(VideoFrameType type) {
  if (type == VideoFrameType{0} || type > VideoFrameType::Command) {
    return base::makeError(base::ErrorCode::Malformed,
                           "flv video tag: frame type " + std::to_string(static_cast<int>(type)) + " is not 1..5");
  }
  return {};
}

base::Result<VideoTag> parseLegacy(base::ByteReader& r, std::uint8_t first) {
  VideoTag tag;
  tag.frameType = static_cast<VideoFrameType>(first >> 4);
  const std::uint8_t codecId = first & 0x0F;
  OCELLUS_TRY(checkFrameType(tag.frameType));
  if (codecId != VideoTag::kAvcCodecId) {
    return base::makeError(base::ErrorCode::Unsupported,
                           "flv video tag: legacy codec id " + std::to_string(codecId) + " (only 7, AVC, is taken)");
  }
  if (tag.frameType == VideoFrameType::Command) {
    tag.data = r.rest();
    return tag;
  }
  const auto packetType = r.u8();
  const auto cts = r.u24();
  if (!packetType || !cts) return truncated("shorter than the 5-byte AVC header");
  if (*packetType > 2) {
    return base::makeError(base::ErrorCode::Malformed,
                           "flv video tag: AVCPacketType " + std::to_string(*packetType) + " is not 0, 1 or 2");
  }
  tag.packetType = static_cast<VideoPacketType>(*packetType);
  tag.compositionTime = signed24(*cts);
  tag.data = r.rest();
  return tag;
}

}  // namespace

std::uint32_t fourCcOf(VideoCodec codec) {
  switch (codec) {
    case VideoCodec::H264:
      return kAvc1;
    case VideoCodec::H265:
      return kHvc1;
    case VideoCodec::AV1:
      return kAv01;
    case VideoCodec::VP9:
      return kVp09;
  }
  return kAvc1;
}

base::Result<VideoTag> VideoTag::parse(std::span<const std::uint8_t> body) {
  base::ByteReader r(body);
  const auto first = r.u8();
  if (!first) return truncated("empty");
  if ((*first & kExHeaderBit) == 0) return parseLegacy(r, *first);

  VideoTag tag;
  tag.enhanced = true;
  tag.frameType = static_cast<VideoFrameType>((*first >> 4) & 0x07);
  const std::uint8_t packetType = *first & 0x0F;
  OCELLUS_TRY(checkFrameType(tag.frameType));
  if (packetType > static_cast<std::uint8_t>(VideoPacketType::Metadata)) {
    return base::makeError(base::ErrorCode::Unsupported,
                           "flv video tag: enhanced packet type " + std::to_string(packetType) +
                               " (MPEG-2 TS sequence start, multitrack, ModEx) is not supported");
  }
  tag.packetType = static_cast<VideoPacketType>(packetType);
  const auto code = r.u32();
  if (!code) return truncated("no FourCC after an extended header");
  switch (*code) {
    case kAvc1:
      tag.codec = VideoCodec::H264;
      break;
    case kHvc1:
      tag.codec = VideoCodec::H265;
      break;
    case kAv01:
      tag.codec = VideoCodec::AV1;
      break;
    case kVp09:
      tag.codec = VideoCodec::VP9;
      break;
    default:
      return base::makeError(base::ErrorCode::Unsupported, "flv video tag: FourCC " +
                                                               std::string(base::asChars(body.subspan(1, 4))) +
                                                               " is not avc1, hvc1, av01 or vp09");
  }
  if (tag.frameType != VideoFrameType::Command && tag.packetType == VideoPacketType::CodedFrames &&
      hasCompositionTime(tag.codec)) {
    const auto cts = r.u24();
    if (!cts) return truncated("no composition time after the FourCC");
    tag.compositionTime = signed24(*cts);
  }
  tag.data = r.rest();
  return tag;
}

std::vector<std::uint8_t> VideoTag::frameHeader(VideoCodec codec, bool keyframe, std::int32_t compositionTime) {
  std::vector<std::uint8_t> out;
  base::ByteWriter w(out);
  const std::uint8_t frameType = keyframe ? 1 : 2;
  const auto cts = static_cast<std::uint32_t>(compositionTime) & 0xFFFFFF;
  if (codec == VideoCodec::H264) {
    w.u8(static_cast<std::uint8_t>(frameType << 4 | kAvcCodecId));
    w.u8(1);
    w.u24(cts);
    return out;
  }
  const bool withCts = hasCompositionTime(codec) && compositionTime != 0;
  const auto packetType = hasCompositionTime(codec) && !withCts ? VideoPacketType::CodedFramesX
                                                                 : VideoPacketType::CodedFrames;
  w.u8(static_cast<std::uint8_t>(kExHeaderBit | frameType << 4 | static_cast<std::uint8_t>(packetType)));
  w.u32(fourCcOf(codec));
  if (withCts) w.u24(cts);
  return out;
}

std::vector<std::uint8_t> VideoTag::frame(VideoCodec codec, bool keyframe, std::int32_t compositionTime,
                                          std::span<const std::uint8_t> accessUnit) {
  std::vector<std::uint8_t> out = frameHeader(codec, keyframe, compositionTime);
  out.insert(out.end(), accessUnit.begin(), accessUnit.end());
  return out;
}

namespace {
std::vector<std::uint8_t> sequenceBody(VideoCodec codec, VideoPacketType type, std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> out;
  base::ByteWriter w(out);
  if (codec == VideoCodec::H264) {
    w.u8(1 << 4 | VideoTag::kAvcCodecId);
    w.u8(static_cast<std::uint8_t>(type));
    w.u24(0);
  } else {
    w.u8(static_cast<std::uint8_t>(kExHeaderBit | 1 << 4 | static_cast<std::uint8_t>(type)));
    w.u32(fourCcOf(codec));
  }
  w.bytes(data);
  return out;
}
}  // namespace

std::vector<std::uint8_t> VideoTag::sequenceStart(VideoCodec codec, std::span<const std::uint8_t> record) {
  return sequenceBody(codec, VideoPacketType::SequenceStart, record);
}

std::vector<std::uint8_t> VideoTag::sequenceEnd(VideoCodec codec) {
  return sequenceBody(codec, VideoPacketType::SequenceEnd, {});
}

}  // namespace ocellus::format::flv
