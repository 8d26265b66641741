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
  // Basic: the principal this user name and password prove (a user, or an API token given as
  // the password), nullopt when they are wrong.
  virtual std::optional<std::string> checkPassword(std::string_view user, std::string_view password) const = 0;
  // A bearer credential given where no header can carry it (an RTMP or SRT "?token=", an HLS
  // URL): a JWT access token or an API token string. The principal, nullopt when invalid.
  virtual std::optional<std::string> checkToken(std::string_view token) const = 0;
  // Digest: H(username:realm:password) in lower-case hex (realm "ocellus") for MD5 or SHA-256,
  // nullopt for an unknown user; the principal is the user name.
  virtual std::optional<std::string> digestHa1(std::string_view user, bool sha256) const = 0;
  // Whether an authenticated principal may perform the request.
  virtual bool permits(std::string_view principal, const MediaRequest& request) const = 0;
};

}  // namespace ocellus::media
