#include "rtp/Av1Packetizer.h"

#include <algorithm>
#include <array>

#include "codec/av1/Obu.h"

namespace ocellus::rtp {

namespace av1 = codec::av1;

namespace {

constexpr std::uint8_t kContinuation = 0x80;  // Z
constexpr std::uint8_t kContinued = 0x40;     // Y
constexpr std::uint8_t kNewSequence = 0x08;   // N
constexpr std::size_t kAggregationHeaderSize = 1;
constexpr std::size_t kMaxLengthSize = 3;  // leb128 of a length below 2^21
constexpr std::size_t kMinPayloadSize = kAggregationHeaderSize + kMaxLengthSize + 1;
constexpr std::size_t kMaxPayloadLimit = 0xffff;  // the most a UDP datagram or RTSP frame holds

std::size_t leb128Size(std::size_t value) {
  std::size_t n = 1;
  while (value >>= 7) ++n;
  return n;
}

bool sent(av1::ObuType type) {
  return type != av1::ObuType::TemporalDelimiter && type != av1::ObuType::TileList &&
         type != av1::ObuType::Padding;
}

// Payloads under construction: one open at a time, its aggregation header patched as it closes.
class Payloads {
 public:
  Payloads(std::size_t max, std::vector<std::uint8_t>& bytes, std::vector<PayloadRef>& refs)
      : max_(max), bytes_(bytes), refs_(refs) {}

  // Room for element bytes in the open payload (after their length field), opening one if needed.
  std::size_t room() {
    if (!open_) {
      start_ = bytes_.size();
      bytes_.push_back(continuation_ ? kContinuation : 0);
      open_ = true;
    }
    const std::size_t left = max_ - (bytes_.size() - start_);
    return left <= kMaxLengthSize ? 0 : left - leb128Size(left);
  }
  // Appends one element made of `header` (may be empty) and `body`; `continues` when the OBU
  // goes on in the next payload, which closes this one.
  void element(std::span<const std::uint8_t> header, std::span<const std::uint8_t> body, bool continues) {
    av1::writeLeb128(static_cast<std::uint32_t>(header.size() + body.size()), bytes_);
    bytes_.insert(bytes_.end(), header.begin(), header.end());
    bytes_.insert(bytes_.end(), body.begin(), body.end());
    continuation_ = continues;
    if (continues) close();
  }
  void close() {
    if (!open_) return;
    if (continuation_) bytes_[start_] |= kContinued;
    refs_.push_back(
        {static_cast<std::uint32_t>(start_), static_cast<std::uint32_t>(bytes_.size() - start_), false});
    open_ = false;
  }

 private:
  std::size_t max_;
  std::vector<std::uint8_t>& bytes_;
  std::vector<PayloadRef>& refs_;
  std::size_t start_ = 0;
  bool open_ = false;
  bool continuation_ = false;  // the last element written continues in the next payload
};

}  // namespace

Av1Packetizer::Av1Packetizer(std::size_t maxPayloadSize)
    : maxPayloadSize_(std::clamp(maxPayloadSize, kMinPayloadSize, kMaxPayloadLimit)) {}

void Av1Packetizer::packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                              std::vector<PayloadRef>& payloads) {
  const bool valid = av1::forEachObu(unit, [](const av1::Obu&) {});
  if (!valid) {
    ++dropped_;
    return;
  }
  const std::size_t firstByte = bytes.size();
  const std::size_t first = payloads.size();
  Payloads out(maxPayloadSize_, bytes, payloads);
  av1::forEachObu(unit, [&](const av1::Obu& obu) {
    if (!sent(obu.type)) return;
    // The header without obu_has_size_field (§4.3: the element length says the size).
    std::array<std::uint8_t, 2> header{};
    std::copy(obu.header.begin(), obu.header.end(), header.begin());
    header[0] &= static_cast<std::uint8_t>(~av1::kObuHasSizeField);
    std::span<const std::uint8_t> head = std::span(header).first(obu.header.size());
    std::span<const std::uint8_t> body = obu.payload;
    for (;;) {
      std::size_t room = out.room();
      if (room < head.size() + 1 && head.size() + body.size() > room) {
        out.close();  // too little left to start this OBU here: begin it in a fresh payload
        room = out.room();
      }
      if (head.size() + body.size() <= room) {
        out.element(head, body, false);
        break;
      }
      const std::size_t n = room - head.size();
      out.element(head, body.first(n), true);
      head = {};
      body = body.subspan(n);
    }
  });
  out.close();
  if (payloads.size() > first) {
    payloads.back().marker = true;
    if (av1::isKeyframe(unit)) bytes[firstByte] |= kNewSequence;
  } else {
    ++dropped_;  // nothing a decoder needs
  }
}

}  // namespace ocellus::rtp
