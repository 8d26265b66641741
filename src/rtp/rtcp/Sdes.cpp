#include "rtp/rtcp/Sdes.h"

#include <algorithm>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "rtp/rtcp/RtcpHeader.h"

namespace ocellus::rtp::rtcp {

namespace {

constexpr std::size_t kSsrcSize = 4;
constexpr std::size_t kItemHeaderSize = 2;  // type, length

// The items of a chunk, the end item and the nulls up to the next 32-bit boundary (§6.5).
std::size_t itemsSize(const Sdes::Chunk& chunk) {
  const std::size_t items =
      chunk.cname.empty() ? 0 : kItemHeaderSize + std::min(chunk.cname.size(), Sdes::kMaxItemLength);
  return items + 4 - items % 4;
}

}  // namespace

std::optional<Sdes> Sdes::parse(std::span<const std::uint8_t> data) {
  auto h = RtcpHeader::parse(data);
  if (!h || h->packetType != kPacketType) return std::nullopt;
  base::ByteReader r(h->payload);
  Sdes sdes;
  for (std::size_t i = 0; i < h->count; ++i) {
    Chunk chunk;
    auto ssrc = r.u32();
    if (!ssrc) return std::nullopt;
    chunk.ssrc = *ssrc;
    bool hasCname = false;
    for (;;) {
      auto type = r.u8();
      if (!type) return std::nullopt;  // no end item
      if (*type == kEndItem) break;
      auto length = r.u8();
      if (!length) return std::nullopt;
      auto text = r.bytes(*length);
      if (!text) return std::nullopt;
      if (*type == kCnameItem && !hasCname) {
        chunk.cname = std::string(base::asChars(*text));
        hasCname = true;
      }
    }
    // Chunks start on 32-bit boundaries, as the payload does; the rest of this one is nulls.
    const std::size_t misalignment = r.position() % 4;
    if (misalignment != 0 && !r.skip(4 - misalignment)) return std::nullopt;
    sdes.chunks.push_back(std::move(chunk));
  }
  return sdes;
}

void Sdes::serialize(std::vector<std::uint8_t>& out) const {
  const std::size_t count = std::min(chunks.size(), kMaxChunks);
  std::size_t payload = 0;
  for (std::size_t i = 0; i < count; ++i) payload += kSsrcSize + itemsSize(chunks[i]);
  RtcpHeader::write(out, static_cast<std::uint8_t>(count), kPacketType, payload);
  base::ByteWriter w(out);
  for (std::size_t i = 0; i < count; ++i) {
    const Chunk& chunk = chunks[i];
    w.u32(chunk.ssrc);
    std::size_t written = 0;
    if (!chunk.cname.empty()) {
      const std::size_t length = std::min(chunk.cname.size(), kMaxItemLength);
      w.u8(kCnameItem);
      w.u8(static_cast<std::uint8_t>(length));
      w.text(std::string_view(chunk.cname).substr(0, length));
      written = kItemHeaderSize + length;
    }
    for (std::size_t pad = itemsSize(chunk) - written; pad > 0; --pad) w.u8(kEndItem);
  }
}

}  // namespace ocellus::rtp::rtcp
