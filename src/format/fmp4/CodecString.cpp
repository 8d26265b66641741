#include "format/fmp4/CodecString.h"

#include <fmt/format.h>

#include "codec/aac/AudioSpecificConfig.h"
#include "codec/av1/ConfigurationRecord.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "codec/h265/DecoderConfigurationRecord.h"

namespace ocellus::format::fmp4 {

base::Result<std::string> codecString(const TrackConfig& track) {
  switch (track.codec) {
    case codec::CodecId::H264: {
      auto record = codec::h264::DecoderConfigurationRecord::parse(track.decoderConfig);
      if (!record) return record.error();
      return record->codecString();
    }
    case codec::CodecId::H265: {
      auto record = codec::h265::DecoderConfigurationRecord::parse(track.decoderConfig);
      if (!record) return record.error();
      return record->codecString();
    }
    case codec::CodecId::AV1: {
      auto record = codec::av1::ConfigurationRecord::parse(track.decoderConfig);
      if (!record) return record.error();
      const auto& h = record->header;
      const int depth = h.twelveBit ? 12 : h.highBitdepth ? 10 : 8;
      return fmt::format("av01.{}.{:02}{}.{:02}", h.profile, h.levelIdx0, h.tier0 ? 'H' : 'M', depth);
    }
    case codec::CodecId::AAC: {
      auto config = codec::aac::AudioSpecificConfig::parse(track.decoderConfig);
      if (!config) return config.error();
      return fmt::format("mp4a.40.{}", config->objectType);
    }
    case codec::CodecId::Opus:
      return std::string("opus");
    default:
      return base::makeError(base::ErrorCode::Unsupported,
                             fmt::format("codec string: {} has no MP4 form here", codec::codecName(track.codec)));
  }
}

base::Result<std::string> codecsAttribute(std::span<const TrackConfig> tracks) {
  std::string joined;
  for (const auto& track : tracks) {
    if (codec::mediaKind(track.codec) == codec::MediaKind::Data) continue;
    auto one = codecString(track);
    if (!one) return one.error();
    if (!joined.empty()) joined += ',';
    joined += *one;
  }
  return joined;
}

}  // namespace ocellus::format::fmp4
