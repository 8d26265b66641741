#pragma once

// Frames for the fMP4 tests, cut from the small libx264/libx265 vectors in tests/data/fmp4
// (160x120, 15 fps, keyframe every 5 frames; the H.265 one is I B P B P in display order)
// and from the ADTS file in tests/data/aac.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "codec/AnnexB.h"
#include "codec/aac/AudioSpecificConfig.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "codec/h264/Nal.h"
#include "codec/h265/DecoderConfigurationRecord.h"
#include "codec/h265/Nal.h"
#include "format/fmp4/TrackConfig.h"
#include "unit/TestData.h"

namespace ocellus::format::fmp4::test {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::int64_t kFrameTicks = 6000;  // 15 fps at 90 kHz
inline constexpr std::int64_t kAacFrameSamples = 1024;

struct VideoStream {
  TrackConfig track;
  std::vector<Bytes> frames;  // canonical form, decode order
  std::vector<bool> keyframes;
  std::vector<std::int64_t> dts;
  std::vector<std::int64_t> pts;
};

// Every VCL NAL unit is one picture in these vectors; the non-VCL units before it join it.
inline VideoStream loadVideo(bool hevc) {
  VideoStream v;
  const Bytes stream =
      ocellus::test::readTestData(hevc ? "fmp4/testsrc_160x120_main31_ibp.h265" : "fmp4/testsrc_160x120_cbp31.h264");
  Bytes unit;
  std::span<const std::uint8_t> vps, sps, pps;
  for (auto nal : codec::splitAnnexB(stream)) {
    codec::appendNal(nal, unit);
    bool vcl = false, key = false;
    if (hevc) {
      const auto type = codec::h265::nalType(nal[0]);
      if (type == codec::h265::NalType::Vps && vps.empty()) vps = nal;
      if (type == codec::h265::NalType::Sps && sps.empty()) sps = nal;
      if (type == codec::h265::NalType::Pps && pps.empty()) pps = nal;
      vcl = codec::h265::isVcl(type);
      key = codec::h265::isIrap(type);
    } else {
      const auto type = codec::h264::nalType(nal[0]);
      if (type == codec::h264::NalType::Sps && sps.empty()) sps = nal;
      if (type == codec::h264::NalType::Pps && pps.empty()) pps = nal;
      vcl = codec::h264::isVcl(type);
      key = type == codec::h264::NalType::Idr;
    }
    if (!vcl) continue;
    const std::int64_t i = static_cast<std::int64_t>(v.frames.size());
    v.frames.push_back(std::move(unit));
    unit.clear();
    v.keyframes.push_back(key);
    v.dts.push_back(i * kFrameTicks);
    // H.265: decode order I0 P2 B1 P4 B3 per GOP of 5, shown one frame late so pts >= dts.
    static constexpr std::int64_t kDisplay[] = {0, 2, 1, 4, 3};
    v.pts.push_back(hevc ? (i - i % 5 + kDisplay[i % 5] + 1) * kFrameTicks : i * kFrameTicks);
  }
  v.track.id = 1;
  v.track.codec = hevc ? codec::CodecId::H265 : codec::CodecId::H264;
  v.track.timescale = 90000;
  v.track.width = 160;
  v.track.height = 120;
  if (hevc) {
    v.track.decoderConfig = codec::h265::DecoderConfigurationRecord::fromParameterSets(vps, sps, pps)->serialize();
  } else {
    v.track.decoderConfig = codec::h264::DecoderConfigurationRecord::fromParameterSets(sps, pps)->serialize();
  }
  return v;
}

struct AudioStream {
  TrackConfig track;
  std::vector<Bytes> frames;  // raw AAC frames, ADTS headers removed
};

// ADTS (ISO/IEC 14496-3 §1.A.2): a 7-byte header (9 with CRC), frame_length in bits 30..42.
inline AudioStream loadAac(std::size_t maxFrames) {
  AudioStream a;
  const Bytes adts = ocellus::test::readTestData("aac/sine_48000_stereo.aac");
  std::size_t pos = 0;
  while (pos + 7 <= adts.size() && a.frames.size() < maxFrames) {
    const std::size_t length = (adts[pos + 3] & 0x03) << 11 | adts[pos + 4] << 3 | adts[pos + 5] >> 5;
    const std::size_t header = (adts[pos + 1] & 0x01) ? 7 : 9;
    if (length <= header || pos + length > adts.size()) break;
    a.frames.emplace_back(adts.begin() + static_cast<std::ptrdiff_t>(pos + header),
                          adts.begin() + static_cast<std::ptrdiff_t>(pos + length));
    pos += length;
  }
  a.track.id = 2;
  a.track.codec = codec::CodecId::AAC;
  a.track.timescale = 48000;
  a.track.channels = 2;
  a.track.sampleRate = 48000;
  a.track.decoderConfig = codec::aac::AudioSpecificConfig{2, 48000, 2}.serialize();
  return a;
}

}  // namespace ocellus::format::fmp4::test
