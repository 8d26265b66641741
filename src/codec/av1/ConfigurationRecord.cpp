#include "codec/av1/ConfigurationRecord.h"

#include <fmt/format.h>

#include "codec/av1/Obu.h"

namespace ocellus::codec::av1 {
namespace {

constexpr std::uint8_t kMarkerAndVersion = 0x81;

std::uint8_t fieldsByte(const SequenceHeader& h) {
  return static_cast<std::uint8_t>(h.tier0 << 7 | h.highBitdepth << 6 | h.twelveBit << 5 | h.monochrome << 4 |
                                   h.subsamplingX << 3 | h.subsamplingY << 2 | (h.chromaSamplePosition & 0x03));
}

}  // namespace

base::Result<ConfigurationRecord> ConfigurationRecord::fromSequenceHeader(std::span<const std::uint8_t> obu) {
  std::size_t consumed = 0;
  const auto parsed = parseObu(obu, consumed);
  if (!parsed || parsed->type != ObuType::SequenceHeader || !(parsed->header[0] & kObuHasSizeField) ||
      consumed != obu.size()) {
    return base::makeError(base::ErrorCode::Malformed, "not one AV1 sequence header OBU with its size field");
  }
  auto header = SequenceHeader::parse(parsed->payload);
  if (!header) return header.error();
  return ConfigurationRecord{*header, std::vector<std::uint8_t>(obu.begin(), obu.end())};
}

base::Result<ConfigurationRecord> ConfigurationRecord::parse(std::span<const std::uint8_t> data) {
  if (data.size() < kFixedSize) return base::makeError(base::ErrorCode::Truncated, "av1C shorter than its 4 fixed bytes");
  if (data.size() > kMaxRecordSize) return base::makeError(base::ErrorCode::Malformed, "av1C over 64 KiB");
  if (data[0] != kMarkerAndVersion) {
    return base::makeError(base::ErrorCode::Unsupported, fmt::format("av1C marker/version byte 0x{:02x}, want 0x81", data[0]));
  }
  const auto obus = data.subspan(kFixedSize);
  if (!forEachObu(obus, [](const Obu&) {})) {
    return base::makeError(base::ErrorCode::Malformed, "av1C configOBUs: an OBU is cut short or lacks its size field");
  }
  const auto sequenceHeader = findSequenceHeader(obus);
  if (!sequenceHeader) return base::makeError(base::ErrorCode::Malformed, "av1C without a sequence header OBU");
  auto header = SequenceHeader::parse(sequenceHeader->payload);
  if (!header) return header.error();
  if (data[1] != (header->profile << 5 | header->levelIdx0) || data[2] != fieldsByte(*header)) {
    return base::makeError(base::ErrorCode::Malformed, "av1C fields differ from its sequence header");
  }
  return ConfigurationRecord{*header, std::vector<std::uint8_t>(obus.begin(), obus.end())};
}

std::vector<std::uint8_t> ConfigurationRecord::serialize() const {
  std::vector<std::uint8_t> out;
  out.reserve(kFixedSize + configObus.size());
  out.push_back(kMarkerAndVersion);
  out.push_back(static_cast<std::uint8_t>(header.profile << 5 | header.levelIdx0));
  out.push_back(fieldsByte(header));
  out.push_back(0);  // no initial_presentation_delay
  out.insert(out.end(), configObus.begin(), configObus.end());
  return out;
}

}  // namespace ocellus::codec::av1
