#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ocellus::proto::webrtc {

// The packets of one SSRC seen so far in one direction (RFC 3711 §3.3.2): the highest index
// and a bitmap of the kSize indices at and below it. SRTP uses it with 48-bit packet indices
// (ROC || SEQ), SRTCP with 31-bit SRTCP indices. A value type; no allocation.
class SrtpReplayWindow {
 public:
  static constexpr std::size_t kSize = 1024;  // SrtpSession::kReplayWindow
  static_assert(kSize % 64 == 0);

  enum class Verdict : std::uint8_t { Fresh, Replayed, TooOld };

  // The packet index of an RTP packet whose sequence number is seq (RFC 3711 §3.3.1 and
  // Appendix A): the one of ROC-1, ROC, ROC+1 that puts it closest to the highest index seen.
  // Before the first packet, and while the highest index is at most 2^15 with ROC 0, the
  // index is seq itself (so the ROC is never guessed as -1 at the start, as libsrtp does).
  std::uint64_t estimateRtpIndex(std::uint16_t seq) const;

  // Whether index was seen (Replayed), is left of the window (TooOld) or is new (Fresh).
  // An empty window calls everything Fresh.
  Verdict check(std::uint64_t index) const;
  // Records index as seen, sliding the window forward when it is the highest so far. Call it
  // only for packets that authenticated.
  void add(std::uint64_t index);

  bool empty() const { return empty_; }
  std::uint64_t highest() const { return highest_; }

 private:
  bool bit(std::uint64_t index) const { return (bits_[(index / 64) % kWords] >> (index % 64)) & 1; }

  static constexpr std::size_t kWords = kSize / 64;
  std::array<std::uint64_t, kWords> bits_{};  // bit (index mod kSize) set: index seen
  std::uint64_t highest_ = 0;
  bool empty_ = true;
};

}  // namespace ocellus::proto::webrtc
