#include "proto/webrtc/SrtpReplayWindow.h"

namespace ocellus::proto::webrtc {

namespace {
constexpr std::uint64_t kSeqModulus = 1 << 16;
constexpr std::uint64_t kSeqHalf = 1 << 15;
}  // namespace

std::uint64_t SrtpReplayWindow::estimateRtpIndex(std::uint16_t seq) const {
  if (empty_ || highest_ <= kSeqHalf) return seq;
  const std::uint64_t roc = highest_ >> 16;
  const std::uint64_t last = highest_ & 0xffff;
  std::uint64_t v = roc;
  if (last < kSeqHalf) {
    if (seq > last + kSeqHalf) v = roc - 1;  // roc >= 1 here: highest_ > 2^15 with last < 2^15
  } else if (last - kSeqHalf > seq) {
    v = roc + 1;
  }
  return v * kSeqModulus + seq;
}

SrtpReplayWindow::Verdict SrtpReplayWindow::check(std::uint64_t index) const {
  if (empty_ || index > highest_) return Verdict::Fresh;
  if (highest_ - index >= kSize) return Verdict::TooOld;
  return bit(index) ? Verdict::Replayed : Verdict::Fresh;
}

void SrtpReplayWindow::add(std::uint64_t index) {
  if (empty_) {
    empty_ = false;
    highest_ = index;
  } else if (index > highest_) {
    // Forget what slides out: the slots of highest_+1 .. index, whole words when it is far.
    if (index - highest_ >= kSize) {
      bits_.fill(0);
    } else {
      for (std::uint64_t i = highest_ + 1; i <= index; ++i)
        bits_[(i / 64) % kWords] &= ~(std::uint64_t{1} << (i % 64));
    }
    highest_ = index;
  } else if (highest_ - index >= kSize) {
    return;  // left of the window: nothing to remember
  }
  bits_[(index / 64) % kWords] |= std::uint64_t{1} << (index % 64);
}

}  // namespace ocellus::proto::webrtc
