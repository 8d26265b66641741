#include "codec/Codec.h"

namespace ocellus::codec {

MediaKind mediaKind(CodecId id) {
  switch (id) {
    case CodecId::H264:
    case CodecId::H265:
    case CodecId::VP8:
    case CodecId::VP9:
    case CodecId::AV1:
      return MediaKind::Video;
    case CodecId::AAC:
    case CodecId::Opus:
    case CodecId::PCMU:
    case CodecId::PCMA:
      return MediaKind::Audio;
    case CodecId::KLV:
      return MediaKind::Data;
  }
  return MediaKind::Data;
}

std::string_view codecName(CodecId id) {
  switch (id) {
    case CodecId::H264: return "H264";
    case CodecId::H265: return "H265";
    case CodecId::VP8: return "VP8";
    case CodecId::VP9: return "VP9";
    case CodecId::AV1: return "AV1";
    case CodecId::AAC: return "MPEG4-GENERIC";
    case CodecId::Opus: return "opus";
    case CodecId::PCMU: return "PCMU";
    case CodecId::PCMA: return "PCMA";
    case CodecId::KLV: return "smpte336m";
  }
  return "unknown";
}

std::uint32_t defaultClockRate(CodecId id) {
  switch (id) {
    case CodecId::H264:
    case CodecId::H265:
    case CodecId::VP8:
    case CodecId::VP9:
    case CodecId::AV1:
    case CodecId::KLV:
      return 90000;
    case CodecId::Opus:
      return 48000;
    case CodecId::PCMU:
    case CodecId::PCMA:
      return 8000;
    case CodecId::AAC:
      return 48000;
  }
  return 90000;
}

}  // namespace ocellus::codec
