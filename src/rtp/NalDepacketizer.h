#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "rtp/Payloader.h"
#include "rtp/SequenceTracker.h"

namespace ocellus::rtp {

// Reassembly shared by H.264 (RFC 6184) and H.265 (RFC 7798) in non-interleaved mode: the
// NAL units of packets with one timestamp form an access unit, handed on when the marker
// bit is set or the timestamp changes. Any sign that the unit is incomplete drops it whole
// (counted in droppedUnits()): a sequence gap (the unit after it too, since the lost packets
// may have been its start), a fragment without its start or end, a malformed payload.
// Duplicates and late packets are ignored. Subclasses parse their format's payload headers
// and feed the NAL units through the helpers below.
class NalDepacketizer : public Depacketizer {
 public:
  void push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
            std::span<const std::uint8_t> payload, const OnUnit& onUnit) final;

 protected:
  // Above this an access unit is dropped: far beyond any level's largest coded picture.
  static constexpr std::size_t kMaxUnitSize = 8 << 20;

  enum class NalKind : std::uint8_t {
    Keep,
    Discard,  // carries nothing for decoders (access unit delimiter, filler data)
    Invalid,  // a packet type or a reserved type: cannot be a NAL unit inside a payload
  };

  explicit NalDepacketizer(std::size_t nalHeaderSize) : nalHeaderSize_(nalHeaderSize) {}

  // Parses one payload with the helpers below; false when it is malformed or of a packet
  // type not supported, which drops the access unit being assembled.
  virtual bool depacketize(std::span<const std::uint8_t> payload) = 0;
  // What to do with a NAL unit, judged from its header (nalHeaderSize bytes).
  virtual NalKind classify(std::span<const std::uint8_t> header) const = 0;
  virtual bool isKeyframe(std::span<const std::uint8_t> unit) const = 0;

  // The helpers return false when what they are given cannot be part of a valid unit.
  // A whole NAL unit (single NAL unit packet).
  bool addNal(std::span<const std::uint8_t> nal);
  // The body of an aggregation packet: NALU size (16 bits) and NAL unit, repeated to the end.
  bool addAggregate(std::span<const std::uint8_t> body);
  // One fragmentation unit: `header` is the NAL unit header rebuilt from the payload and FU
  // headers, `data` the fragment's piece of the NAL unit after it.
  bool addFragment(std::span<const std::uint8_t> header, std::span<const std::uint8_t> data, bool start,
                   bool end);

 private:
  bool append(std::span<const std::uint8_t> data);
  bool beginNal(std::span<const std::uint8_t> header);
  void endNal();
  void finish(const OnUnit& onUnit);

  std::size_t nalHeaderSize_;
  SequenceTracker sequence_;
  std::vector<std::uint8_t> unit_;  // the access unit so far, in canonical form
  std::uint32_t timestamp_ = 0;
  std::size_t nalStart_ = 0;  // offset in unit_ of the length prefix of the open NAL unit
  bool open_ = false;         // a packet of the unit at timestamp_ has arrived
  bool corrupt_ = false;      // the unit at timestamp_ will be dropped
  bool nalOpen_ = false;      // a NAL unit has begun and not ended (a fragmented one, between packets)
};

}  // namespace ocellus::rtp
