#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/Result.h"
#include "record/SegmentLayout.h"

namespace ocellus::record {

// The sans-I/O core of scanning a recorded fragmented MP4 file (ISO/IEC 14496-12 §8.8): it asks
// for byte ranges and is fed them, reading box headers, the init segment and each moof, and
// skipping mdat payloads, so a 150 MB file costs about one small read per fragment. The driver
// (record/SegmentFile.h) does the reading; the fuzzer feeds it from memory.
//
// Top-level boxes accepted: ftyp, then moov (the init segment, free/skip between); then moof
// each followed by its mdat, with styp/sidx before a moof, free/skip anywhere, mfra at the end.
// A file without a complete init segment is Malformed. After it, the first box that is cut
// short or does not belong (a partial moof, an mdat shorter than declared, a moof without its
// mdat, a moof that does not parse, garbage) ends the scan: everything from there on is a torn
// tail (SegmentLayout::truncated), validSize being where the last complete fragment ends. A
// corrupt fragment in the middle of a file therefore cuts the file there: recorded files are
// written front to back, so damage is expected at the tail only.
//
// Usage: while (auto read = scanner.wanted()) scanner.feed(<bytes of *read>); then result().
// Not thread-safe.
class SegmentScanner {
 public:
  static constexpr std::uint64_t kMaxInitBoxSize = 1 << 20;  // ftyp, moov
  // About what Fragment's own limits allow: 16 trafs of 64 Ki samples, 16 bytes each.
  static constexpr std::uint64_t kMaxMoofSize = 16 << 20;
  // A read at a box header asks this much, so a ~1 s moof and its mdat's header come in one read.
  static constexpr std::uint64_t kReadAhead = 16 << 10;

  struct Read {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
  };

  explicit SegmentScanner(std::uint64_t fileSize);

  // The range to read next; nullopt once the scan is over.
  std::optional<Read> wanted() const { return wanted_; }
  // The bytes of the range wanted() named; fewer means the file ends there (it shrank).
  void feed(std::span<const std::uint8_t> bytes);
  // The layout, or Malformed when the init segment is missing or broken. Only once wanted() is
  // nullopt; InvalidState before.
  base::Result<SegmentLayout> result() const;
  // Why the scan stopped before the end of the file, when the layout is truncated (for the log).
  const std::string& tailReason() const { return tailReason_; }

 private:
  enum class Phase : std::uint8_t { Init, Fragments, AfterMfra, Done };

  void advance();
  // The buffered bytes from `offset` on (empty when it is not buffered).
  std::span<const std::uint8_t> buffered(std::uint64_t offset) const;
  void request(std::uint64_t offset, std::uint64_t length);
  // Handles the box whose header is at pos_; false when it needs bytes (a request is made).
  bool initBox(std::uint32_t type, std::uint64_t size);
  bool fragmentBox(std::uint32_t type, std::uint64_t size);
  bool fragment(std::uint64_t moofSize);
  // Ends the scan: with an error (no usable init segment), or at a torn tail.
  bool fail(const std::string& why);
  bool endTail(std::string why);

  std::uint64_t fileSize_;
  std::uint64_t pos_ = 0;  // the next top-level box
  Phase phase_ = Phase::Init;
  std::vector<std::uint8_t> buffer_;
  std::uint64_t bufferOffset_ = 0;
  std::optional<Read> wanted_;
  std::vector<std::uint8_t> initBoxes_;  // ftyp and moov, for InitSegment::parse
  SegmentLayout layout_;
  std::optional<base::Error> error_;
  std::string tailReason_;
};

}  // namespace ocellus::record
