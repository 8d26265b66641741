#include "proto/rtmp/ChunkWriter.h"

#include <algorithm>

#include "base/ByteWriter.h"

namespace ocellus::proto::rtmp {
namespace {

constexpr std::uint32_t kExtendedMarker = 0xFFFFFF;

std::size_t basicHeaderSize(std::uint32_t csid) {
  return csid < 64 ? 1 : csid < 320 ? 2 : 3;
}

// §5.3.1.1: the chunk stream id in 1, 2 or 3 bytes, the last two forms little-endian from 64.
void basicHeader(base::ByteWriter& w, unsigned fmt, std::uint32_t csid) {
  const auto top = static_cast<std::uint8_t>(fmt << 6);
  if (csid < 64) {
    w.u8(static_cast<std::uint8_t>(top | csid));
  } else if (csid < 320) {
    w.u8(top);
    w.u8(static_cast<std::uint8_t>(csid - 64));
  } else {
    w.u8(top | 1);
    w.u8(static_cast<std::uint8_t>((csid - 64) & 0xFF));
    w.u8(static_cast<std::uint8_t>((csid - 64) >> 8));
  }
}

}  // namespace

std::size_t ChunkWriter::encodedSize(std::uint32_t chunkStreamId, std::uint32_t timestamp, std::size_t payloadSize,
                                     std::uint32_t chunkSize) {
  const std::size_t chunks = payloadSize == 0 ? 1 : (payloadSize + chunkSize - 1) / chunkSize;
  const std::size_t extended = timestamp >= kExtendedMarker ? 4 : 0;
  const std::size_t basic = basicHeaderSize(chunkStreamId);
  return payloadSize + basic + 11 + extended + (chunks - 1) * (basic + extended);
}

void ChunkWriter::encode(std::vector<std::uint8_t>& out, const Header& header, std::span<const std::uint8_t> head,
                         std::span<const std::uint8_t> body, std::uint32_t chunkSize) {
  chunkSize = std::max<std::uint32_t>(chunkSize, 1);
  const std::size_t total = head.size() + body.size();
  const bool extended = header.timestamp >= kExtendedMarker;
  out.reserve(out.size() + encodedSize(header.chunkStreamId, header.timestamp, total, chunkSize));
  base::ByteWriter w(out);

  // §5.3.1.2.1 type 0: timestamp, length, type id, message stream id (little-endian).
  basicHeader(w, 0, header.chunkStreamId);
  w.u24(extended ? kExtendedMarker : header.timestamp);
  w.u24(static_cast<std::uint32_t>(total));
  w.u8(static_cast<std::uint8_t>(header.type));
  for (int i = 0; i < 4; ++i) w.u8(static_cast<std::uint8_t>(header.streamId >> (8 * i)));
  if (extended) w.u32(header.timestamp);

  std::size_t written = 0;
  while (true) {
    std::size_t room = std::min<std::size_t>(chunkSize, total - written);
    if (written < head.size()) {
      const std::size_t n = std::min(room, head.size() - written);
      w.bytes(head.subspan(written, n));
      written += n;
      room -= n;
    }
    if (room > 0) {
      w.bytes(body.subspan(written - head.size(), room));
      written += room;
    }
    if (written >= total) break;
    basicHeader(w, 3, header.chunkStreamId);
    if (extended) w.u32(header.timestamp);
  }
}

std::vector<std::uint8_t> ChunkWriter::encode(const Header& header, std::span<const std::uint8_t> payload,
                                              std::uint32_t chunkSize) {
  std::vector<std::uint8_t> out;
  encode(out, header, payload, {}, chunkSize);
  return out;
}

}  // namespace ocellus::proto::rtmp
