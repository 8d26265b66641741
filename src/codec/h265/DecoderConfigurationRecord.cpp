#include "codec/h265/DecoderConfigurationRecord.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "codec/h265/Nal.h"
#include "codec/h265/Sps.h"

namespace ocellus::codec::h265 {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kFixedSize = 23;  // everything before the first array
constexpr std::uint64_t kConstraintMask = (std::uint64_t{1} << 48) - 1;

base::Error malformed(const std::string& what) {
  return base::makeError(base::ErrorCode::Malformed, "hvcC: " + what);
}
base::Error truncated(const char* what) {
  return base::makeError(base::ErrorCode::Truncated, fmt::format("hvcC: ends inside {}", what));
}

base::Status checkNal(std::span<const std::uint8_t> nal, NalType type, const char* what) {
  if (nal.size() < kNalHeaderSize || nalType(nal[0]) != type) {
    return malformed(fmt::format("not a {} NAL unit", what));
  }
  if (nal.size() > UINT16_MAX) return base::makeError(base::ErrorCode::TooLarge, "hvcC: NAL unit over 65535 bytes");
  return {};
}

}  // namespace

base::Result<DecoderConfigurationRecord> DecoderConfigurationRecord::fromParameterSets(
    std::span<const std::uint8_t> vps, std::span<const std::uint8_t> sps, std::span<const std::uint8_t> pps) {
  OCELLUS_TRY(checkNal(vps, NalType::Vps, "VPS"));
  OCELLUS_TRY(checkNal(pps, NalType::Pps, "PPS"));
  auto parsed = Sps::parse(sps);
  if (!parsed) return parsed.error();
  OCELLUS_TRY(checkNal(sps, NalType::Sps, "SPS"));
  DecoderConfigurationRecord r;
  r.profileSpace = parsed->profileSpace;
  r.tierFlag = parsed->tierFlag;
  r.profileIdc = parsed->profileIdc;
  r.profileCompatibilityFlags = parsed->profileCompatibilityFlags;
  r.constraintFlags = parsed->constraintFlags & kConstraintMask;
  r.levelIdc = parsed->levelIdc;
  r.chromaFormat = static_cast<std::uint8_t>(parsed->chromaFormatIdc);
  r.bitDepthLumaMinus8 = static_cast<std::uint8_t>(parsed->bitDepthLuma - 8);
  r.bitDepthChromaMinus8 = static_cast<std::uint8_t>(parsed->bitDepthChroma - 8);
  // The first RBSP byte after the header (never emulation-escaped): sps_video_parameter_set_id(4)
  // sps_max_sub_layers_minus1(3) sps_temporal_id_nesting_flag(1) (H.265 §7.3.2.2.1).
  const std::uint8_t first = sps[kNalHeaderSize];
  r.numTemporalLayers = static_cast<std::uint8_t>(((first >> 1) & 0x07) + 1);
  r.temporalIdNested = (first & 0x01) != 0;
  r.arrays.push_back({true, static_cast<std::uint8_t>(NalType::Vps), {{vps.begin(), vps.end()}}});
  r.arrays.push_back({true, static_cast<std::uint8_t>(NalType::Sps), {{sps.begin(), sps.end()}}});
  r.arrays.push_back({true, static_cast<std::uint8_t>(NalType::Pps), {{pps.begin(), pps.end()}}});
  return r;
}

base::Result<DecoderConfigurationRecord> DecoderConfigurationRecord::parse(std::span<const std::uint8_t> data) {
  if (data.size() > kMaxRecordSize) return base::makeError(base::ErrorCode::TooLarge, "hvcC: record too large");
  if (data.size() < kFixedSize) return truncated("the header");
  base::ByteReader r(data);
  if (*r.u8() != kVersion) return malformed(fmt::format("configurationVersion {} is not 1", data[0]));
  DecoderConfigurationRecord rec;
  const std::uint8_t ptl = *r.u8();
  rec.profileSpace = ptl >> 6;
  rec.tierFlag = (ptl & 0x20) != 0;
  rec.profileIdc = ptl & 0x1f;
  rec.profileCompatibilityFlags = *r.u32();
  rec.constraintFlags = (std::uint64_t{*r.u16()} << 32) | *r.u32();
  rec.levelIdc = *r.u8();
  rec.minSpatialSegmentationIdc = *r.u16() & 0x0fff;
  rec.parallelismType = *r.u8() & 0x03;
  rec.chromaFormat = *r.u8() & 0x03;
  rec.bitDepthLumaMinus8 = *r.u8() & 0x07;
  rec.bitDepthChromaMinus8 = *r.u8() & 0x07;
  rec.avgFrameRate = *r.u16();
  const std::uint8_t flags = *r.u8();
  rec.constantFrameRate = flags >> 6;
  rec.numTemporalLayers = (flags >> 3) & 0x07;
  rec.temporalIdNested = (flags & 0x04) != 0;
  rec.lengthSizeMinusOne = flags & 0x03;
  if (rec.lengthSizeMinusOne == 2) return malformed("lengthSizeMinusOne 2 is not allowed");
  const std::uint8_t arrayCount = *r.u8();
  for (std::uint8_t a = 0; a < arrayCount; ++a) {
    const auto head = r.u8();
    const auto count = r.u16();
    if (!count) return truncated("an array header");
    NalArray array;
    array.complete = (*head & 0x80) != 0;
    array.type = *head & 0x3f;
    for (std::uint16_t i = 0; i < *count; ++i) {
      const auto size = r.u16();
      if (!size) return truncated("a NAL unit length");
      const auto nal = r.bytes(*size);
      if (!nal) return truncated("a NAL unit");
      if (nal->size() < kNalHeaderSize) return malformed("NAL unit shorter than its header");
      if (static_cast<std::uint8_t>(nalType((*nal)[0])) != array.type) {
        return malformed(fmt::format("NAL unit of type {} in the array of type {}",
                                     static_cast<int>(nalType((*nal)[0])), array.type));
      }
      array.units.emplace_back(nal->begin(), nal->end());
    }
    rec.arrays.push_back(std::move(array));
  }
  return rec;
}

std::vector<std::uint8_t> DecoderConfigurationRecord::serialize() const {
  std::vector<std::uint8_t> out;
  base::ByteWriter w(out);
  w.u8(kVersion);
  w.u8(static_cast<std::uint8_t>((profileSpace & 0x03) << 6 | (tierFlag ? 0x20 : 0) | (profileIdc & 0x1f)));
  w.u32(profileCompatibilityFlags);
  w.u16(static_cast<std::uint16_t>((constraintFlags >> 32) & 0xffff));
  w.u32(static_cast<std::uint32_t>(constraintFlags));
  w.u8(levelIdc);
  w.u16(static_cast<std::uint16_t>(0xf000 | (minSpatialSegmentationIdc & 0x0fff)));
  w.u8(static_cast<std::uint8_t>(0xfc | (parallelismType & 0x03)));
  w.u8(static_cast<std::uint8_t>(0xfc | (chromaFormat & 0x03)));
  w.u8(static_cast<std::uint8_t>(0xf8 | (bitDepthLumaMinus8 & 0x07)));
  w.u8(static_cast<std::uint8_t>(0xf8 | (bitDepthChromaMinus8 & 0x07)));
  w.u16(avgFrameRate);
  w.u8(static_cast<std::uint8_t>((constantFrameRate & 0x03) << 6 | (numTemporalLayers & 0x07) << 3 |
                                 (temporalIdNested ? 0x04 : 0) | (lengthSizeMinusOne & 0x03)));
  const std::size_t arrayCount = std::min<std::size_t>(arrays.size(), UINT8_MAX);
  w.u8(static_cast<std::uint8_t>(arrayCount));
  for (std::size_t a = 0; a < arrayCount; ++a) {
    const NalArray& array = arrays[a];
    std::size_t count = 0;  // only units a 16-bit length can hold, so the count matches
    for (const auto& nal : array.units) count += nal.size() <= UINT16_MAX && count < UINT16_MAX ? 1 : 0;
    w.u8(static_cast<std::uint8_t>((array.complete ? 0x80 : 0) | (array.type & 0x3f)));
    w.u16(static_cast<std::uint16_t>(count));
    std::size_t written = 0;
    for (const auto& nal : array.units) {
      if (nal.size() > UINT16_MAX || written == count) continue;
      w.u16(static_cast<std::uint16_t>(nal.size()));
      w.bytes(nal);
      ++written;
    }
  }
  return out;
}

std::string DecoderConfigurationRecord::codecString() const {
  static constexpr const char* kSpace[] = {"", "A", "B", "C"};
  std::uint32_t reversed = 0;
  for (int bit = 0; bit < 32; ++bit) {
    if (profileCompatibilityFlags & (1u << bit)) reversed |= 1u << (31 - bit);
  }
  std::string s = fmt::format("hvc1.{}{}.{:X}.{}{}", kSpace[profileSpace & 0x03], profileIdc, reversed,
                              tierFlag ? 'H' : 'L', levelIdc);
  std::uint8_t bytes[6];
  int last = -1;
  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<std::uint8_t>(constraintFlags >> (40 - 8 * i));
    if (bytes[i] != 0) last = i;
  }
  for (int i = 0; i <= last; ++i) s += fmt::format(".{:X}", bytes[i]);
  return s;
}

std::vector<std::span<const std::uint8_t>> DecoderConfigurationRecord::unitsOfType(std::uint8_t type) const {
  std::vector<std::span<const std::uint8_t>> out;
  for (const auto& array : arrays) {
    if (array.type != type) continue;
    for (const auto& nal : array.units) out.emplace_back(nal);
  }
  return out;
}

}  // namespace ocellus::codec::h265
