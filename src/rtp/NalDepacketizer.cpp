#include "rtp/NalDepacketizer.h"

#include <array>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "codec/Codec.h"

namespace ocellus::rtp {

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
  nalStart_ = unit().size();
  nalOpen_ = true;
  return append(std::array<std::uint8_t, codec::kNalLengthSize>{}) && append(header);
}

void NalDepacketizer::endNal() {
  nalOpen_ = false;
  auto& u = unit();
  const std::size_t bodyStart = nalStart_ + codec::kNalLengthSize;
  if (classify(std::span(u).subspan(bodyStart, nalHeaderSize_)) == NalKind::Discard) {
    u.resize(nalStart_);
  } else {
    base::ByteWriter(u).patchU32(nalStart_, static_cast<std::uint32_t>(u.size() - bodyStart));
  }
}

}  // namespace ocellus::rtp
