#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "codec/AnnexB.h"
#include "rtp/Payloader.h"
#include "rtp/RtpPacket.h"
#include "unit/TestData.h"

namespace ocellus::rtp::test {

using Bytes = std::vector<std::uint8_t>;

// The packets of a capture written by tests/data/rtp/capture.py: each one preceded by its
// length as a 16-bit big-endian number.
inline std::vector<Bytes> readCapture(const std::string& path) {
  const Bytes data = ocellus::test::readTestData(path);
  std::vector<Bytes> packets;
  for (std::size_t at = 0; at + 2 <= data.size();) {
    const std::size_t size = std::size_t{data[at]} << 8 | data[at + 1];
    if (at + 2 + size > data.size()) break;
    packets.emplace_back(data.begin() + at + 2, data.begin() + at + 2 + size);
    at += 2 + size;
  }
  return packets;
}

// The access units of an Annex-B stream in canonical form, for streams with one slice per
// picture: the NAL units up to and including each VCL NAL unit form a unit.
template <typename IsVcl>
std::vector<Bytes> accessUnits(std::span<const std::uint8_t> stream, IsVcl isVcl) {
  std::vector<Bytes> units(1);
  for (auto nal : codec::splitAnnexB(stream)) {
    codec::appendNal(nal, units.back());
    if (isVcl(nal)) units.emplace_back();
  }
  units.pop_back();
  return units;
}

struct Payload {
  Bytes bytes;
  bool marker = false;
  bool operator==(const Payload&) const = default;
};

inline std::vector<Payload> packetize(Packetizer& packetizer, std::span<const std::uint8_t> unit) {
  std::vector<std::uint8_t> bytes;
  std::vector<PayloadRef> refs;
  packetizer.packetize(unit, bytes, refs);
  std::vector<Payload> out;
  for (const auto& ref : refs) {
    out.push_back({Bytes(bytes.begin() + ref.offset, bytes.begin() + ref.offset + ref.size), ref.marker});
  }
  return out;
}

// Records what a depacketizer hands on.
struct Collector {
  std::vector<Bytes> units;
  std::vector<std::uint32_t> timestamps;
  std::vector<bool> keyframes;

  Depacketizer::OnUnit callback() {
    return [this](const DepacketizedUnit& u) {
      units.emplace_back(u.data.begin(), u.data.end());
      timestamps.push_back(u.rtpTimestamp);
      keyframes.push_back(u.keyframe);
    };
  }
};

// Packetizes units (timestamps step by `step`) and pushes every payload, in order, with
// consecutive sequence numbers into the depacketizer.
inline Collector roundTrip(Packetizer& packetizer, Depacketizer& depacketizer,
                           const std::vector<Bytes>& units, std::uint32_t step = 3000) {
  Collector collector;
  const auto onUnit = collector.callback();
  std::uint16_t sequence = 65000;  // wraps around during long tests
  std::uint32_t timestamp = 0;
  for (const auto& unit : units) {
    for (const auto& payload : packetize(packetizer, unit)) {
      depacketizer.push(sequence++, timestamp, payload.marker, payload.bytes, onUnit);
    }
    timestamp += step;
  }
  return collector;
}

}  // namespace ocellus::rtp::test
