#include "rtp/NalDepacketizer.h"

#include <array>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "codec/Codec.h"

namespace ocellus::rtp {

void NalDepacketizer::push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
                           std::span<const std::uint8_t> payload, const OnUnit& onUnit) {
  const SequenceTracker::Order order = sequence_.update(sequence);
  if (order == SequenceTracker::Order::Old) return;
  const bool lost = order == SequenceTracker::Order::Gap;
  if (open_ && timestamp != timestamp_) {
    corrupt_ |= lost;  // its last packets may be the lost ones
    finish(onUnit);
  }
  corrupt_ |= lost;  // its first packets may be the lost ones
  if (!open_) {
    open_ = true;
    timestamp_ = timestamp;
  }
  if (!corrupt_ && !depacketize(payload)) corrupt_ = true;
  if (marker) finish(onUnit);
}

void NalDepacketizer::finish(const OnUnit& onUnit) {
  if (corrupt_ || nalOpen_) {
    ++dropped_;
  } else if (!unit_.empty()) {
    onUnit(DepacketizedUnit{timestamp_, isKeyframe(unit_), unit_});
  }
  unit_.clear();
  open_ = false;
  corrupt_ = false;
  nalOpen_ = false;
}

bool NalDepacketizer::addNal(std::span<const std::uint8_t> nal) {
  if (nal.size() < nalHeaderSize_ || !beginNal(nal.first(nalHeaderSize_)) ||
      !append(nal.subspan(nalHeaderSize_))) {
    return false;
  }
  endNal();
  return true;
}

bool NalDepacketizer::addAggregate(std::span<const std::uint8_t> body) {
  base::ByteReader r(body);
  while (!r.empty()) {
    auto size = r.u16();
    auto nal = size ? r.bytes(*size) : std::nullopt;
    if (!nal || !addNal(*nal)) return false;
  }
  return true;
}

bool NalDepacketizer::addFragment(std::span<const std::uint8_t> header, std::span<const std::uint8_t> data,
                                  bool start, bool end) {
  if (start && !beginNal(header)) return false;
  if (!nalOpen_ || !append(data)) return false;  // not open: its start was lost
  if (end) endNal();
  return true;
}

bool NalDepacketizer::beginNal(std::span<const std::uint8_t> header) {
  // A NAL unit cannot begin while a fragmented one is unfinished, nor be a packet type.
  if (nalOpen_ || classify(header) == NalKind::Invalid) return false;
  nalStart_ = unit_.size();
  nalOpen_ = true;
  return append(std::array<std::uint8_t, codec::kNalLengthSize>{}) && append(header);
}

bool NalDepacketizer::append(std::span<const std::uint8_t> data) {
  if (data.size() > kMaxUnitSize - unit_.size()) return false;
  unit_.insert(unit_.end(), data.begin(), data.end());
  return true;
}

void NalDepacketizer::endNal() {
  nalOpen_ = false;
  const std::size_t bodyStart = nalStart_ + codec::kNalLengthSize;
  if (classify(std::span(unit_).subspan(bodyStart, nalHeaderSize_)) == NalKind::Discard) {
    unit_.resize(nalStart_);
  } else {
    base::ByteWriter(unit_).patchU32(nalStart_, static_cast<std::uint32_t>(unit_.size() - bodyStart));
  }
}

}  // namespace ocellus::rtp
