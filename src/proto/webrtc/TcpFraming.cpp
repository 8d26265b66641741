#include "proto/webrtc/TcpFraming.h"

#include <string>

namespace ocellus::proto::webrtc {

std::array<std::uint8_t, TcpFraming::kPrefixSize> TcpFraming::prefix(std::size_t length) {
  return {static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
}

void TcpFraming::append(std::span<const std::uint8_t> bytes) {
  // Frames handed out are gone: move the incomplete rest to the front once it is all that is
  // left, so the buffer stays within a frame plus one read.
  if (start_ > 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

base::Result<std::optional<std::span<std::uint8_t>>> TcpFraming::next() {
  if (broken_) return *broken_;
  if (buffered() < kPrefixSize) return std::optional<std::span<std::uint8_t>>();
  const std::size_t length = static_cast<std::size_t>(buffer_[start_]) << 8 | buffer_[start_ + 1];
  if (length == 0) {
    broken_ = base::makeError(base::ErrorCode::Malformed, "RFC 4571: a frame of length 0");
    return *broken_;
  }
  if (length > kMaxFrame) {
    broken_ = base::makeError(base::ErrorCode::TooLarge, "RFC 4571: a frame of " + std::to_string(length) +
                                                             " bytes (at most " + std::to_string(kMaxFrame) + ")");
    return *broken_;
  }
  if (buffered() < kPrefixSize + length) return std::optional<std::span<std::uint8_t>>();
  const std::span<std::uint8_t> frame(buffer_.data() + start_ + kPrefixSize, length);
  start_ += kPrefixSize + length;
  return std::optional<std::span<std::uint8_t>>(frame);
}

}  // namespace ocellus::proto::webrtc
