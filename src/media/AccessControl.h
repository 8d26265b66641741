#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ocellus::media {

enum class MediaAction { Read, Publish };

// What a media server asks before it lets a client read or publish a path.
struct MediaRequest {
  MediaAction action = MediaAction::Read;
  std::string path;      // normalized, as the registry knows it
  std::string remoteIp;  // the client's address
  bool loopback = false; // the client connects from 127.0.0.0/8 or ::1
};

// The one authorization hook of every media protocol (RTSP, RTMP, WebRTC, HLS). Servers own
// this narrow interface; the app layer implements it (from config now, from the user store
// once the control plane lands). Implementations are called from any loop concurrently and
// must be thread-safe and quick (no I/O).
class AccessControl {
 public:
  virtual ~AccessControl() = default;

  // Whether the path accepts the action at all (e.g. publishing to a camera's pull path).
  virtual bool pathAllows(const MediaRequest& request) const = 0;
  // Whether the request may go ahead without credentials.
  virtual bool allowsAnonymous(const MediaRequest& request) const = 0;
  // The secret a Basic or Digest exchange is checked against, if the user exists.
  virtual std::optional<std::string> secretFor(std::string_view user) const = 0;
  // Whether an authenticated user (secret already verified) may perform the request.
  virtual bool permits(std::string_view user, const MediaRequest& request) const = 0;
};

}  // namespace ocellus::media
