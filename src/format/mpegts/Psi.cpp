#include "format/mpegts/Psi.h"

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "format/mpegts/Crc32.h"

namespace ocellus::format::mpegts {
namespace {

constexpr std::size_t kLongHeaderSize = 8;  // through last_section_number
constexpr std::size_t kCrcSize = 4;
constexpr std::uint16_t kPidMask = 0x1fff;
constexpr std::uint16_t kLengthMask = 0x0fff;
constexpr std::uint32_t kMetadataFormatKlva = 0xff;  // metadata_format 0xFF: identifier follows

base::Error error(base::ErrorCode code, const char* what) {
  return base::makeError(code, std::string("psi: ") + what);
}

// Checks the common header and CRC; returns the body between the header and the CRC.
base::Result<std::span<const std::uint8_t>> sectionBody(std::span<const std::uint8_t> section, std::uint8_t tableId) {
  OCELLUS_TRY(checkSection(section));
  if (section[0] != tableId) return error(base::ErrorCode::Malformed, "unexpected table_id");
  if ((section[1] & 0x80) == 0) return error(base::ErrorCode::Malformed, "section_syntax_indicator 0");
  return section.subspan(kLongHeaderSize, section.size() - kLongHeaderSize - kCrcSize);
}

void writeHeader(std::uint8_t tableId, std::uint16_t extension, std::uint8_t version, base::ByteWriter& w) {
  w.u8(tableId);
  w.u16(0xb000);  // syntax 1, '0', reserved 11, length patched later
  w.u16(extension);
  w.u8(static_cast<std::uint8_t>(0xc1 | ((version & 0x1f) << 1)));  // current_next_indicator 1
  w.u8(0);  // section_number
  w.u8(0);  // last_section_number
}

void finishSection(std::vector<std::uint8_t>& out) {
  const std::size_t length = out.size() - 3 + kCrcSize;
  out[1] = static_cast<std::uint8_t>(0xb0 | ((length >> 8) & 0x0f));
  out[2] = static_cast<std::uint8_t>(length);
  base::ByteWriter(out).u32(crc32(out));
}

}  // namespace

base::Status checkSection(std::span<const std::uint8_t> section) {
  if (section.size() < 3) return error(base::ErrorCode::Truncated, "ends inside the section header");
  const std::size_t length = ((std::size_t{section[1]} << 8) | section[2]) & kLengthMask;
  if (length + 3 > kMaxSectionSize) return error(base::ErrorCode::TooLarge, "section_length over 1021");
  if (section.size() != length + 3) return error(base::ErrorCode::Malformed, "size differs from section_length");
  if (section.size() < kLongHeaderSize + kCrcSize) return error(base::ErrorCode::Truncated, "section too short");
  if (crc32(section) != 0) return error(base::ErrorCode::Malformed, "CRC_32 mismatch");
  return {};
}

base::Result<Pat> Pat::parse(std::span<const std::uint8_t> section) {
  auto body = sectionBody(section, kPatTableId);
  if (!body) return body.error();
  if (body->size() % 4 != 0) return error(base::ErrorCode::Malformed, "PAT body not a multiple of 4");
  Pat pat;
  pat.transportStreamId = static_cast<std::uint16_t>((section[3] << 8) | section[4]);
  pat.version = (section[5] >> 1) & 0x1f;
  base::ByteReader r(*body);
  while (!r.empty()) {
    const auto number = r.u16();
    const auto pid = r.u16();
    pat.programs.push_back({*number, static_cast<std::uint16_t>(*pid & kPidMask)});
  }
  return pat;
}

std::vector<std::uint8_t> Pat::serialize() const {
  std::vector<std::uint8_t> out;
  base::ByteWriter w(out);
  writeHeader(kPatTableId, transportStreamId, version, w);
  for (const auto& p : programs) {
    w.u16(p.number);
    w.u16(static_cast<std::uint16_t>(0xe000 | (p.pid & kPidMask)));
  }
  finishSection(out);
  return out;
}

base::Result<Pmt> Pmt::parse(std::span<const std::uint8_t> section) {
  auto body = sectionBody(section, kPmtTableId);
  if (!body) return body.error();
  Pmt pmt;
  pmt.programNumber = static_cast<std::uint16_t>((section[3] << 8) | section[4]);
  pmt.version = (section[5] >> 1) & 0x1f;
  base::ByteReader r(*body);
  const auto pcrPid = r.u16();
  const auto infoLength = r.u16();
  if (!infoLength) return error(base::ErrorCode::Truncated, "PMT ends before program_info_length");
  pmt.pcrPid = *pcrPid & kPidMask;
  const auto info = r.bytes(*infoLength & kLengthMask);
  if (!info) return error(base::ErrorCode::Truncated, "program_info runs past the section");
  pmt.programInfo.assign(info->begin(), info->end());
  while (!r.empty()) {
    const auto type = r.u8();
    const auto pid = r.u16();
    const auto esLength = r.u16();
    if (!esLength) return error(base::ErrorCode::Truncated, "PMT ends inside a stream entry");
    const auto es = r.bytes(*esLength & kLengthMask);
    if (!es) return error(base::ErrorCode::Truncated, "ES_info runs past the section");
    pmt.streams.push_back({*type, static_cast<std::uint16_t>(*pid & kPidMask), {es->begin(), es->end()}});
  }
  return pmt;
}

std::vector<std::uint8_t> Pmt::serialize() const {
  std::vector<std::uint8_t> out;
  base::ByteWriter w(out);
  writeHeader(kPmtTableId, programNumber, version, w);
  w.u16(static_cast<std::uint16_t>(0xe000 | (pcrPid & kPidMask)));
  w.u16(static_cast<std::uint16_t>(0xf000 | (programInfo.size() & kLengthMask)));
  w.bytes(programInfo);
  for (const auto& s : streams) {
    w.u8(s.streamType);
    w.u16(static_cast<std::uint16_t>(0xe000 | (s.pid & kPidMask)));
    w.u16(static_cast<std::uint16_t>(0xf000 | (s.descriptors.size() & kLengthMask)));
    w.bytes(s.descriptors);
  }
  finishSection(out);
  return out;
}

bool hasKlvaDescriptor(std::span<const std::uint8_t> descriptors) {
  base::ByteReader r(descriptors);
  while (r.remaining() >= 2) {
    const auto tag = r.u8();
    const auto length = r.u8();
    const auto value = r.bytes(*length);
    if (!value) return false;
    base::ByteReader v(*value);
    if (*tag == kRegistrationDescriptor && v.u32() == kKlvaFormat) return true;
    if (*tag == kMetadataDescriptor) {
      // metadata_application_format(16) [+32 when 0xFFFF], metadata_format(8)
      // [+ metadata_format_identifier(32) when 0xFF] (§2.6.60).
      const auto application = v.u16();
      if (application == 0xffff) v.skip(4);
      const auto format = v.u8();
      if (format == kMetadataFormatKlva && v.u32() == kKlvaFormat) return true;
    }
  }
  return false;
}

}  // namespace ocellus::format::mpegts
