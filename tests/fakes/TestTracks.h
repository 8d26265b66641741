#pragma once

// Stream track descriptions of the fMP4 test vectors (tests/unit/format/fmp4/Fmp4TestData.h),
// for the layers that feed media::Units to an fMP4 writer (bridge, record).

#include "codec/aac/AudioSpecificConfig.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "media/TrackInfo.h"
#include "unit/format/fmp4/Fmp4TestData.h"

namespace ocellus::test {

// The 160x120 H.264 vector, with the parameter sets of its decoder configuration record.
inline media::TrackInfo h264Track(const format::fmp4::test::VideoStream& v) {
  const auto record = codec::h264::DecoderConfigurationRecord::parse(v.track.decoderConfig);
  media::TrackInfo t;
  t.codec = codec::CodecId::H264;
  t.sps = record->sps.at(0);
  t.pps = record->pps.at(0);
  t.width = 160;
  t.height = 120;
  return t;
}

// AAC-LC, 48 kHz stereo, as format::fmp4::test::loadAac gives it.
inline media::TrackInfo aacTrack() {
  media::TrackInfo t;
  t.codec = codec::CodecId::AAC;
  t.clockRate = 48000;
  t.channels = 2;
  t.audioConfig = codec::aac::AudioSpecificConfig{2, 48000, 2}.serialize();
  return t;
}

}  // namespace ocellus::test
