#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "api/http/HttpResponse.h"

namespace ocellus::api::http {

// The one-shot answer to a request. Move-only; a handler calls it exactly once, now or later,
// from the server's loop or any other thread: the response is posted to the connection's
// executor and written there, never inside the call. A second call does nothing. Destroying a
// Reply that was never called answers 500 INTERNAL_ERROR (and logs it), so a forgotten reply
// cannot hang a connection. Calling after the client has gone is harmless.
class Reply {
 public:
  // Receives the response, or nullopt when the Reply was dropped unanswered. Called at most
  // once, on the thread that calls or destroys the Reply. (The server makes these; tests may
  // too.)
  using Deliver = std::function<void(std::optional<HttpResponse>)>;

  explicit Reply(Deliver deliver) : deliver_(std::move(deliver)) {}
  Reply(Reply&& other) noexcept : deliver_(std::exchange(other.deliver_, nullptr)) {}
  Reply& operator=(Reply&& other) noexcept;
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  ~Reply();

  void operator()(HttpResponse response);
  // True until called (or moved from).
  explicit operator bool() const { return static_cast<bool>(deliver_); }

 private:
  Deliver deliver_;
};

}  // namespace ocellus::api::http
