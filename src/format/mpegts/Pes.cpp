#include "format/mpegts/Pes.h"

#include "base/ByteReader.h"
#include "format/mpegts/Ts.h"

namespace ocellus::format::mpegts {
namespace {

constexpr std::size_t kTimestampSize = 5;
constexpr std::size_t kMaxPacketLength = 0xffff;

base::Error error(base::ErrorCode code, const char* what) {
  return base::makeError(code, std::string("pes: ") + what);
}

bool hasOptionalHeader(std::uint8_t streamId) {
  switch (streamId) {
    case 0xbc:  // program_stream_map
    case 0xbe:  // padding_stream
    case 0xbf:  // private_stream_2
    case 0xf0:  // ECM
    case 0xf1:  // EMM
    case 0xf2:  // DSMCC
    case 0xf8:  // H.222.1 type E
    case 0xff:  // program_stream_directory
      return false;
    default:
      return true;
  }
}

// '0010'/'0011'/'0001' + TS[32..30] + marker, TS[29..15] + marker, TS[14..0] + marker.
std::optional<std::uint64_t> readTimestamp(std::span<const std::uint8_t> b) {
  if ((b[0] & 1) == 0 || (b[2] & 1) == 0 || (b[4] & 1) == 0) return std::nullopt;
  return (std::uint64_t{b[0] & 0x0eu} << 29) | (std::uint64_t{b[1]} << 22) | (std::uint64_t{b[2] & 0xfeu} << 14) |
         (std::uint64_t{b[3]} << 7) | (b[4] >> 1);
}

void writeTimestamp(std::uint8_t prefix, std::uint64_t ts, std::vector<std::uint8_t>& out) {
  ts %= kTimestampModulus;
  out.push_back(static_cast<std::uint8_t>((prefix << 4) | ((ts >> 29) & 0x0e) | 1));
  out.push_back(static_cast<std::uint8_t>(ts >> 22));
  out.push_back(static_cast<std::uint8_t>(((ts >> 14) & 0xfe) | 1));
  out.push_back(static_cast<std::uint8_t>(ts >> 7));
  out.push_back(static_cast<std::uint8_t>(((ts << 1) & 0xfe) | 1));
}

}  // namespace

base::Result<PesHeader> PesHeader::parse(std::span<const std::uint8_t> pes) {
  if (pes.size() < kFixedSize) return error(base::ErrorCode::Truncated, "ends inside the start code");
  if (pes[0] != 0 || pes[1] != 0 || pes[2] != 1) return error(base::ErrorCode::Malformed, "no packet_start_code_prefix");
  PesHeader h;
  h.streamId = pes[3];
  h.packetLength = (std::size_t{pes[4]} << 8) | pes[5];
  if (!hasOptionalHeader(h.streamId)) return h;
  if (pes.size() < kFixedSize + 3) return error(base::ErrorCode::Truncated, "ends inside the optional header");
  if ((pes[6] & 0xc0) != 0x80) return error(base::ErrorCode::Malformed, "optional header does not start with 10");
  h.dataAlignment = (pes[6] & 0x04) != 0;
  const std::uint8_t ptsDts = pes[7] >> 6;
  const std::size_t dataLength = pes[8];
  h.headerSize = kFixedSize + 3 + dataLength;
  if (pes.size() < h.headerSize) return error(base::ErrorCode::Truncated, "ends inside PES_header_data");
  if (h.packetLength != 0 && h.packetLength + kFixedSize < h.headerSize)
    return error(base::ErrorCode::Malformed, "PES_packet_length shorter than its header");
  const auto data = pes.subspan(kFixedSize + 3, dataLength);
  if (ptsDts == 1) return error(base::ErrorCode::Malformed, "PTS_DTS_flags 01");
  if (ptsDts >= 2) {
    const std::size_t need = ptsDts == 3 ? 2 * kTimestampSize : kTimestampSize;
    if (data.size() < need) return error(base::ErrorCode::Malformed, "PES_header_data too short for PTS/DTS");
    h.pts = readTimestamp(data.first(kTimestampSize));
    if (!h.pts) return error(base::ErrorCode::Malformed, "PTS marker bit 0");
    if (ptsDts == 3) {
      h.dts = readTimestamp(data.subspan(kTimestampSize, kTimestampSize));
      if (!h.dts) return error(base::ErrorCode::Malformed, "DTS marker bit 0");
    }
  }
  return h;
}

void PesHeader::write(std::uint8_t streamId, std::size_t payloadSize, std::optional<std::uint64_t> pts,
                      std::optional<std::uint64_t> dts, std::vector<std::uint8_t>& out) {
  const std::size_t dataLength = (pts ? kTimestampSize : 0) + (pts && dts ? kTimestampSize : 0);
  const std::size_t length = 3 + dataLength + payloadSize;
  out.insert(out.end(), {0, 0, 1, streamId});
  const std::size_t field = length > kMaxPacketLength ? 0 : length;
  out.push_back(static_cast<std::uint8_t>(field >> 8));
  out.push_back(static_cast<std::uint8_t>(field));
  out.push_back(0x84);  // '10', data_alignment_indicator
  out.push_back(pts ? (dts ? 0xc0 : 0x80) : 0x00);
  out.push_back(static_cast<std::uint8_t>(dataLength));
  if (pts) writeTimestamp(dts ? 0x3 : 0x2, *pts, out);
  if (pts && dts) writeTimestamp(0x1, *dts, out);
}

}  // namespace ocellus::format::mpegts
