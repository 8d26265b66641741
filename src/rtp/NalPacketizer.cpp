#include "rtp/NalPacketizer.h"

#include <algorithm>

#include "codec/NalUnits.h"

namespace ocellus::rtp {
namespace {

constexpr std::size_t kAggregatedSizeField = 2;  // NALU size before each aggregated unit
constexpr std::size_t kFuHeaderSize = 1;
constexpr std::size_t kMaxAggregatedNalSize = 0xffff;  // also the most a UDP datagram or RTSP frame holds

// Appends a descriptor for the bytes written since `offset`.
void addPayload(std::size_t offset, const std::vector<std::uint8_t>& bytes,
                std::vector<PayloadRef>& payloads) {
  payloads.push_back(
      {static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(bytes.size() - offset), false});
}

}  // namespace

NalPacketizer::NalPacketizer(std::size_t maxPayloadSize, std::size_t nalHeaderSize, bool aggregateAndFragment)
    // At least room for the fragment headers and one byte of NAL unit per fragment; at most
    // what the 16-bit size of an aggregated NAL unit can express.
    : maxPayloadSize_(std::clamp(maxPayloadSize, nalHeaderSize + kFuHeaderSize + 1, kMaxAggregatedNalSize)),
      nalHeaderSize_(nalHeaderSize),
      aggregateAndFragment_(aggregateAndFragment) {}

void NalPacketizer::packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                              std::vector<PayloadRef>& payloads) {
  nals_.clear();
  for (auto nal : codec::NalUnits(unit)) {
    if (nal.size() < nalHeaderSize_) {
      ++dropped_;  // no NAL unit header: nothing a receiver could take
    } else {
      nals_.push_back(nal);
    }
  }
  const std::size_t first = payloads.size();
  for (std::size_t i = 0; i < nals_.size();) {
    const auto nal = nals_[i];
    if (nal.size() > maxPayloadSize_) {
      if (aggregateAndFragment_) {
        fragment(nal, bytes, payloads);
      } else {
        ++dropped_;
      }
      ++i;
      continue;
    }
    std::size_t end = i;
    std::size_t total = nalHeaderSize_;
    while (aggregateAndFragment_ && end < nals_.size() &&
           total + kAggregatedSizeField + nals_[end].size() <= maxPayloadSize_) {
      total += kAggregatedSizeField + nals_[end].size();
      ++end;
    }
    if (end - i >= 2) {
      aggregate(std::span(nals_).subspan(i, end - i), bytes, payloads);
      i = end;
    } else {
      const std::size_t offset = bytes.size();
      bytes.insert(bytes.end(), nal.begin(), nal.end());
      addPayload(offset, bytes, payloads);
      ++i;
    }
  }
  if (payloads.size() > first) payloads.back().marker = true;
}

void NalPacketizer::aggregate(std::span<const std::span<const std::uint8_t>> nals,
                              std::vector<std::uint8_t>& bytes, std::vector<PayloadRef>& payloads) {
  const std::size_t offset = bytes.size();
  base::ByteWriter w(bytes);
  writeAggregationHeader(nals, w);
  for (auto nal : nals) {
    w.u16(static_cast<std::uint16_t>(nal.size()));
    w.bytes(nal);
  }
  addPayload(offset, bytes, payloads);
}

void NalPacketizer::fragment(std::span<const std::uint8_t> nal, std::vector<std::uint8_t>& bytes,
                             std::vector<PayloadRef>& payloads) {
  // The NAL unit header travels in the payload and FU headers, not in the fragments.
  const auto body = nal.subspan(nalHeaderSize_);
  const std::size_t chunk = maxPayloadSize_ - nalHeaderSize_ - kFuHeaderSize;
  base::ByteWriter w(bytes);
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const std::size_t n = std::min(chunk, body.size() - at);
    const std::size_t offset = bytes.size();
    writeFragmentHeader(nal, at == 0, at + n == body.size(), w);
    w.bytes(body.subspan(at, n));
    addPayload(offset, bytes, payloads);
  }
}

}  // namespace ocellus::rtp
