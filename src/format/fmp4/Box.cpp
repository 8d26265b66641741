#include "format/fmp4/Box.h"

#include <fmt/format.h>

#include "base/ByteReader.h"

namespace ocellus::format::fmp4 {
namespace {

constexpr std::size_t kHeaderSize = 8;
constexpr std::size_t kLargeSizeField = 8;
constexpr std::size_t kUserTypeSize = 16;
constexpr FourCc kUuid = fourCc("uuid");

}  // namespace

std::string fourCcText(FourCc type) {
  std::string s(4, '?');
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>(type >> (24 - 8 * i));
    if (c >= 0x20 && c < 0x7f) s[static_cast<std::size_t>(i)] = c;
  }
  return s;
}

base::Result<BoxHeader> readBoxHeader(std::span<const std::uint8_t> data) {
  base::ByteReader r(data);
  const auto size32 = r.u32();
  const auto type = r.u32();
  if (!type) return base::makeError(base::ErrorCode::Truncated, "mp4: box header cut short");
  BoxHeader h{*type, *size32, kHeaderSize};
  if (h.size == 1) {
    const auto large = r.u64();
    if (!large) return base::makeError(base::ErrorCode::Truncated, "mp4: largesize cut short");
    h.size = *large;
    h.headerSize += kLargeSizeField;
  }
  if (h.type == kUuid) h.headerSize += kUserTypeSize;
  if (h.size != 0 && h.size < h.headerSize) {
    return base::makeError(base::ErrorCode::Malformed,
                           fmt::format("mp4: box '{}' size {} is smaller than its header", fourCcText(h.type), h.size));
  }
  return h;
}

base::Result<std::optional<Box>> BoxReader::next() {
  if (failed_) return base::makeError(base::ErrorCode::InvalidState, "mp4: box walk already failed");
  if (pos_ == data_.size()) return std::optional<Box>{};
  failed_ = true;  // until this box proves whole
  auto header = readBoxHeader(data_.subspan(pos_));
  if (!header) {
    return base::makeError(header.error().code, fmt::format("{} (at {})", header.error().message, pos_));
  }
  const std::uint64_t size = header->size == 0 ? data_.size() - pos_ : header->size;
  if (size < header->headerSize) {
    return base::makeError(base::ErrorCode::Truncated, fmt::format("mp4: box '{}' runs past the end", fourCcText(header->type)));
  }
  if (size > data_.size() - pos_) {
    return base::makeError(base::ErrorCode::Truncated, fmt::format("mp4: box '{}' of {} bytes runs past the end ({} left)",
                                                                   fourCcText(header->type), size, data_.size() - pos_));
  }
  Box box{header->type, pos_, static_cast<std::size_t>(size),
          data_.subspan(pos_ + header->headerSize, static_cast<std::size_t>(size) - header->headerSize)};
  pos_ += box.size;
  failed_ = false;
  return std::optional<Box>{box};
}

base::Result<Box> findBox(std::span<const std::uint8_t> data, FourCc type) {
  BoxReader reader(data);
  while (true) {
    auto box = reader.next();
    if (!box) return box.error();
    if (!*box) return base::makeError(base::ErrorCode::NotFound, fmt::format("mp4: no '{}' box", fourCcText(type)));
    if ((*box)->type == type) return **box;
  }
}

base::Result<FullBox> readFullBox(const Box& box) {
  if (box.payload.size() < 4) {
    return base::makeError(base::ErrorCode::Truncated, fmt::format("mp4: full box '{}' has no version", fourCcText(box.type)));
  }
  const std::uint32_t word = static_cast<std::uint32_t>(box.payload[0]) << 24 | box.payload[1] << 16 |
                             box.payload[2] << 8 | box.payload[3];
  return FullBox{static_cast<std::uint8_t>(word >> 24), word & 0xffffff, box.payload.subspan(4)};
}

base::Result<FullBox> findFullBox(std::span<const std::uint8_t> data, FourCc type) {
  auto box = findBox(data, type);
  if (!box) return box.error();
  return readFullBox(*box);
}

}  // namespace ocellus::format::fmp4
