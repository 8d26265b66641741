#pragma once

#include <string>

#include "base/Result.h"

namespace ocellus::server::webrtc {

// What the server's session table needs of a WHEP or WHIP session. start() runs once, on the
// thread that made the session, before anything else can reach it (so the answer never goes out
// before the session is registered on the port); close() runs on the session's loop (the server
// posts it there), any number of times.
class Session {
 public:
  virtual ~Session() = default;
  virtual base::Status start() = 0;
  virtual void close(const std::string& why) = 0;
};

}  // namespace ocellus::server::webrtc
