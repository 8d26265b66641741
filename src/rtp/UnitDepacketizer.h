#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "rtp/Payloader.h"
#include "rtp/SequenceTracker.h"

namespace ocellus::rtp {

// Reassembly shared by the video payload formats (H.264, H.265, VP8, VP9, AV1): the packets
// of one timestamp form an access unit, handed on when the marker bit is set or the
// timestamp changes. Any sign that the unit is incomplete drops it whole (counted in
// droppedUnits()): a sequence gap (the unit after it too, since the lost packets may have
// been its start), a piece left open at its end, a malformed payload. Duplicates and late
// packets are ignored. Subclasses parse their payload headers and append the unit's bytes in
// codec canonical form.
class UnitDepacketizer : public Depacketizer {
 public:
  void push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
            std::span<const std::uint8_t> payload, const OnUnit& onUnit) final;

 protected:
  // Above this an access unit is dropped: far beyond any level's largest coded picture.
  static constexpr std::size_t kMaxUnitSize = 8 << 20;

  // Parses one payload into unit(); false when it is malformed or of a packet type not
  // supported, which drops the access unit being assembled.
  virtual bool depacketize(std::span<const std::uint8_t> payload) = 0;
  // Whether the unit ends inside a piece (a fragment whose end was not seen): dropped then.
  virtual bool incomplete() const = 0;
  virtual bool isKeyframe(std::span<const std::uint8_t> unit) const = 0;
  // Forgets the per-unit parsing state; called after each unit is handed on or dropped.
  virtual void reset() = 0;

  // False when the unit would exceed kMaxUnitSize.
  bool append(std::span<const std::uint8_t> data);
  std::vector<std::uint8_t>& unit() { return unit_; }

 private:
  void finish(const OnUnit& onUnit);

  SequenceTracker sequence_;
  std::vector<std::uint8_t> unit_;  // the access unit so far, in canonical form
  std::uint32_t timestamp_ = 0;
  bool open_ = false;     // a packet of the unit at timestamp_ has arrived
  bool corrupt_ = false;  // the unit at timestamp_ will be dropped
};

}  // namespace ocellus::rtp
