#pragma once

#include <string>

#include "base/Result.h"

namespace ocellus::server::webrtc {

// What the server's session table needs of a WHEP or WHIP session. Both calls run on the
// session's loop (the server posts them there): start() once, close() any number of times.
class Session {
 public:
  virtual ~Session() = default;
  virtual base::Status start() = 0;
  virtual void close(const std::string& why) = 0;
};

}  // namespace ocellus::server::webrtc
