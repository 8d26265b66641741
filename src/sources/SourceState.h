#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ocellus::sources {

// Where a camera's source stands, as the API reports it (API-CONTRACT §2 stream_status).
enum class SourceState { Offline, Connecting, Online, Error };

inline std::string_view sourceStateName(SourceState s) {
  switch (s) {
    case SourceState::Offline: return "offline";
    case SourceState::Connecting: return "connecting";
    case SourceState::Online: return "online";
    case SourceState::Error: return "error";
  }
  return "offline";
}

// Told every change of a source's state, with a detail (the last error for Error). Called on
// the source's loop; the callee must be quick and must not call back into the source.
using SourceStateListener = std::function<void(SourceState state, const std::string& detail)>;

}  // namespace ocellus::sources
