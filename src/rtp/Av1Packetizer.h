#pragma once

#include "rtp/Payloader.h"

namespace ocellus::rtp {

// AV1 over RTP (AOM "RTP Payload Format for AV1" v1.0, §4-5): the OBUs of a temporal unit
// without their size fields, temporal delimiters, tile lists and padding, packed in order
// into payloads, every OBU element with a leb128 length (W = 0); an OBU that does not fit is
// fragmented across packets (Y, then Z). N marks the first packet of a temporal unit that
// starts a coded video sequence (a key frame with its sequence header). A unit that is not
// well-formed low-overhead OBUs is dropped and counted.
class Av1Packetizer final : public Packetizer {
 public:
  explicit Av1Packetizer(std::size_t maxPayloadSize);

  void packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                 std::vector<PayloadRef>& payloads) override;

 private:
  std::size_t maxPayloadSize_;
};

}  // namespace ocellus::rtp
