#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ocellus::base {

// Immutable bytes together with what keeps them alive, so that many responses can send the same
// bytes (an HLS part, a playlist rendered once for every waiting player) without a copy each:
// each holder shares `owner`. Whoever made the bytes must not change them once shared.
struct SharedBytes {
  std::shared_ptr<const void> owner;
  std::span<const std::uint8_t> bytes;

  static SharedBytes of(std::shared_ptr<const std::vector<std::uint8_t>> v) {
    const std::span<const std::uint8_t> view = v ? std::span<const std::uint8_t>(*v) : std::span<const std::uint8_t>{};
    return {std::move(v), view};
  }
  static SharedBytes of(std::string text) {
    auto owned = std::make_shared<const std::string>(std::move(text));
    const std::span<const std::uint8_t> view(reinterpret_cast<const std::uint8_t*>(owned->data()), owned->size());
    return {std::move(owned), view};
  }
};

}  // namespace ocellus::base
