#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/ByteWriter.h"
#include "base/Result.h"

namespace ocellus::format::fmp4 {

// A box type (ISO/IEC 14496-12 §4.2): four characters packed big-endian, e.g. fourCc("moov").
using FourCc = std::uint32_t;
constexpr FourCc fourCc(const char (&s)[5]) {
  return static_cast<FourCc>(static_cast<std::uint8_t>(s[0])) << 24 |
         static_cast<FourCc>(static_cast<std::uint8_t>(s[1])) << 16 |
         static_cast<FourCc>(static_cast<std::uint8_t>(s[2])) << 8 | static_cast<std::uint8_t>(s[3]);
}
// The four characters, non-printable ones as '?', for error messages and logs.
std::string fourCcText(FourCc type);

// One box as found in its parent: its type, where it starts in the parent's bytes, its whole
// size with the header, and its payload (the bytes after the header) as a view into them.
struct Box {
  FourCc type = 0;
  std::size_t offset = 0;
  std::size_t size = 0;
  std::span<const std::uint8_t> payload;
};

// A box header alone (§4.2, the diagram below), from the bytes a box starts with: what a reader
// that does not hold the whole box needs (a recorded file scanned without reading its media).
// `size` is the whole box's, header included; 0 means "to the end of the enclosing span or file".
// Truncated when the bytes end inside the header, Malformed when size is smaller than it.
struct BoxHeader {
  FourCc type = 0;
  std::uint64_t size = 0;
  std::size_t headerSize = 0;
};
base::Result<BoxHeader> readBoxHeader(std::span<const std::uint8_t> data);

// Walks the boxes laid end to end in a span it does not own (a file, or a container box's
// payload), which must outlive it and every Box it yields (ISO/IEC 14496-12 §4.2):
//
//   size(32) type(32) [largesize(64) when size is 1] [usertype(128) when type is 'uuid'] payload
//
// size 0 means "to the end of the span". next() checks that each box fits in what is left and
// yields nullopt at the end; after an error the reader stays failed. It never reads outside its span.
class BoxReader {
 public:
  explicit BoxReader(std::span<const std::uint8_t> data) : data_(data) {}

  base::Result<std::optional<Box>> next();
  std::size_t position() const { return pos_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// The first box of `type` among the boxes in `data`; NotFound naming the type when there is
// none, or the walk's error.
base::Result<Box> findBox(std::span<const std::uint8_t> data, FourCc type);

// Splits a full box's payload (§4.2): version(8) flags(24), then the rest.
struct FullBox {
  std::uint8_t version = 0;
  std::uint32_t flags = 0;
  std::span<const std::uint8_t> body;
};
base::Result<FullBox> readFullBox(const Box& box);
// The first full box of `type` among the boxes in `data`, split: findBox, then readFullBox.
base::Result<FullBox> findFullBox(std::span<const std::uint8_t> data, FourCc type);

// Writes nested boxes into a vector it does not own (which must outlive it): open() writes a
// placeholder size and the type, close() patches the size of the most recent open box.
class BoxWriter {
 public:
  explicit BoxWriter(std::vector<std::uint8_t>& out) : out_(out), w_(out) {}

  void open(FourCc type) {
    stack_.push_back(out_.size());
    w_.u32(0);
    w_.u32(type);
  }
  void openFull(FourCc type, std::uint8_t version, std::uint32_t flags) {
    open(type);
    w_.u32(static_cast<std::uint32_t>(version) << 24 | (flags & 0xffffff));
  }
  void close() {
    const std::size_t start = stack_.back();
    stack_.pop_back();
    w_.patchU32(start, static_cast<std::uint32_t>(out_.size() - start));
  }
  base::ByteWriter& w() { return w_; }
  std::size_t size() const { return out_.size(); }

 private:
  std::vector<std::uint8_t>& out_;
  base::ByteWriter w_;
  std::vector<std::size_t> stack_;
};

}  // namespace ocellus::format::fmp4
