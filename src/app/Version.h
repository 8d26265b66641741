#pragma once

namespace ocellus::app {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace ocellus::app
