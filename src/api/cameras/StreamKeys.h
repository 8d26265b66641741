#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ocellus::api::cameras {

// Camera stream keys → camera paths, for the RTMP server's /live/{stream_key} (issue 5).
// CameraService replaces the whole map on the control loop whenever cameras change; media
// loops look keys up concurrently. The lock guards only the map and is held for one lookup.
class StreamKeys {
 public:
  void replace(std::map<std::string, std::string, std::less<>> keyToPath) {
    std::lock_guard lock(mutex_);
    keys_ = std::move(keyToPath);
  }
  std::optional<std::string> lookup(std::string_view key) const {
    if (key.empty()) return std::nullopt;
    std::lock_guard lock(mutex_);
    auto it = keys_.find(key);
    if (it == keys_.end()) return std::nullopt;
    return it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> keys_;  // guarded by mutex_
};

}  // namespace ocellus::api::cameras
