#include "codec/h264/DecoderConfigurationRecord.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "codec/h264/Nal.h"
#include "codec/h264/Sps.h"

namespace ocellus::codec::h264 {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kHighProfiles[] = {100, 110, 122, 144};

base::Error malformed(const std::string& what) {
  return base::makeError(base::ErrorCode::Malformed, "avcC: " + what);
}
base::Error truncated(const char* what) {
  return base::makeError(base::ErrorCode::Truncated, fmt::format("avcC: ends inside {}", what));
}

// `count` NAL units, each with a 16-bit length, all of `type` when `type` is set.
base::Status readNals(base::ByteReader& r, std::size_t count, const char* what, std::optional<NalType> type,
                      std::vector<std::vector<std::uint8_t>>& out) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto size = r.u16();
    if (!size) return truncated(what);
    const auto nal = r.bytes(*size);
    if (!nal) return truncated(what);
    if (nal->empty()) return malformed(fmt::format("empty {}", what));
    if (type && nalType((*nal)[0]) != *type) return malformed(fmt::format("{} has the wrong NAL unit type", what));
    out.emplace_back(nal->begin(), nal->end());
  }
  return {};
}

// A count field then the NAL units, each with a 16-bit length. Only units that fit a 16-bit
// length are written, at most `maxCount` of them, so the count always matches what follows.
void writeNals(base::ByteWriter& w, const std::vector<std::vector<std::uint8_t>>& nals, std::size_t maxCount,
               std::uint8_t countFlags) {
  std::size_t count = 0;
  for (const auto& nal : nals) count += nal.size() <= UINT16_MAX && count < maxCount ? 1 : 0;
  w.u8(static_cast<std::uint8_t>(countFlags | count));
  std::size_t written = 0;
  for (const auto& nal : nals) {
    if (nal.size() > UINT16_MAX || written == count) continue;
    w.u16(static_cast<std::uint16_t>(nal.size()));
    w.bytes(nal);
    ++written;
  }
}

}  // namespace

bool DecoderConfigurationRecord::hasHighProfileFields() const {
  return std::ranges::find(kHighProfiles, profileIdc) != std::end(kHighProfiles);
}

base::Result<DecoderConfigurationRecord> DecoderConfigurationRecord::fromParameterSets(
    std::span<const std::uint8_t> spsNal, std::span<const std::uint8_t> ppsNal) {
  auto parsed = Sps::parse(spsNal);
  if (!parsed) return parsed.error();
  if (ppsNal.empty() || nalType(ppsNal[0]) != NalType::Pps) return malformed("not a PPS NAL unit");
  if (spsNal.size() > UINT16_MAX || ppsNal.size() > UINT16_MAX) {
    return base::makeError(base::ErrorCode::TooLarge, "avcC: parameter set longer than 65535 bytes");
  }
  DecoderConfigurationRecord record;
  record.profileIdc = parsed->profileIdc;
  record.profileCompatibility = parsed->constraintFlags;
  record.levelIdc = parsed->levelIdc;
  record.sps.emplace_back(spsNal.begin(), spsNal.end());
  record.pps.emplace_back(ppsNal.begin(), ppsNal.end());
  record.chromaFormat = static_cast<std::uint8_t>(parsed->chromaFormatIdc);
  record.bitDepthLumaMinus8 = static_cast<std::uint8_t>(parsed->bitDepthLuma - 8);
  record.bitDepthChromaMinus8 = static_cast<std::uint8_t>(parsed->bitDepthChroma - 8);
  return record;
}

base::Result<DecoderConfigurationRecord> DecoderConfigurationRecord::parse(std::span<const std::uint8_t> data) {
  if (data.size() > kMaxRecordSize) return base::makeError(base::ErrorCode::TooLarge, "avcC: record too large");
  base::ByteReader r(data);
  const auto version = r.u8();
  const auto profile = r.u8();
  const auto compatibility = r.u8();
  const auto level = r.u8();
  const auto lengthSize = r.u8();
  const auto spsCount = r.u8();
  if (!spsCount) return truncated("the header");
  if (*version != kVersion) return malformed(fmt::format("configurationVersion {} is not 1", *version));
  DecoderConfigurationRecord record;
  record.profileIdc = *profile;
  record.profileCompatibility = *compatibility;
  record.levelIdc = *level;
  record.lengthSizeMinusOne = *lengthSize & 0x03;
  if (record.lengthSizeMinusOne == 2) return malformed("lengthSizeMinusOne 2 is not allowed");
  OCELLUS_TRY(readNals(r, *spsCount & 0x1f, "an SPS", NalType::Sps, record.sps));
  const auto ppsCount = r.u8();
  if (!ppsCount) return truncated("numOfPictureParameterSets");
  OCELLUS_TRY(readNals(r, *ppsCount, "a PPS", NalType::Pps, record.pps));
  if (record.hasHighProfileFields() && r.remaining() >= 4) {
    record.chromaFormat = *r.u8() & 0x03;
    record.bitDepthLumaMinus8 = *r.u8() & 0x07;
    record.bitDepthChromaMinus8 = *r.u8() & 0x07;
    const std::uint8_t extCount = *r.u8();
    OCELLUS_TRY(readNals(r, extCount, "an SPS extension", std::nullopt, record.spsExt));
  }
  return record;
}

std::vector<std::uint8_t> DecoderConfigurationRecord::serialize() const {
  std::vector<std::uint8_t> out;
  base::ByteWriter w(out);
  w.u8(kVersion);
  w.u8(profileIdc);
  w.u8(profileCompatibility);
  w.u8(levelIdc);
  w.u8(static_cast<std::uint8_t>(0xfc | (lengthSizeMinusOne & 0x03)));
  writeNals(w, sps, kMaxParameterSets, 0xe0);
  writeNals(w, pps, UINT8_MAX, 0);
  if (hasHighProfileFields()) {
    w.u8(static_cast<std::uint8_t>(0xfc | (chromaFormat & 0x03)));
    w.u8(static_cast<std::uint8_t>(0xf8 | (bitDepthLumaMinus8 & 0x07)));
    w.u8(static_cast<std::uint8_t>(0xf8 | (bitDepthChromaMinus8 & 0x07)));
    writeNals(w, spsExt, UINT8_MAX, 0);
  }
  return out;
}

std::string DecoderConfigurationRecord::codecString() const {
  return fmt::format("avc1.{:02X}{:02X}{:02X}", profileIdc, profileCompatibility, levelIdc);
}

}  // namespace ocellus::codec::h264
