#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ocellus::api::http {

// One accepted WebSocket (RFC 6455), as the server hands it to a route's onOpen. Text frames
// only, no permessage-deflate. The server owns the connection; holders of the shared_ptr keep
// the object (not the socket) alive, and every call stays safe after it has closed.
//
// Threads: send(), close() and remoteIp() may be called from any thread (off the connection's
// loop they post to it; on it, send() queues at once). onMessage()/onClose() must be set inside onOpen or on the server loop.
// Callbacks run on the server loop; they may call send() and close(), and must not block.
class WsConnection {
 public:
  virtual ~WsConnection() = default;

  // Queues one text message. False, and nothing queued, when the connection is closing or
  // closed, or when the message would push the bytes queued but not yet written past the send
  // queue limit: the client is too slow, and the connection is then closed with 1008 "send
  // queue full" (a slow reader never slows the sender).
  // The frame is shared, not copied: one notification to many connections is one string.
  virtual bool send(std::shared_ptr<const std::string> text) = 0;
  bool send(std::string text) { return send(std::make_shared<const std::string>(std::move(text))); }
  // Starts the closing handshake after the messages already queued are written (1000 normal,
  // 1001 going away, 1008 policy, …). The socket is closed at the latest after the server's
  // close timeout. Later calls do nothing.
  virtual void close(std::uint16_t code = 1000, std::string reason = {}) = 0;
  virtual const std::string& remoteIp() const = 0;

  // Each complete text message; the view is valid during the call only. Set once.
  virtual void onMessage(std::function<void(std::string_view message)> callback) = 0;
  // Once, when the connection has ended for any reason: the close code received or sent
  // (1006 when there was none). The callbacks are released afterwards, so lambdas that capture
  // the connection do not keep it alive.
  virtual void onClose(std::function<void(std::uint16_t code, std::string_view reason)> callback) = 0;
};

}  // namespace ocellus::api::http
