#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::proto::srt {

// What an SRT caller asks for in its stream id (SRTO_STREAMID), in one of two spellings:
//
//   publish:PATH[:USER:PASSWORD]   read:PATH[:USER:PASSWORD]      (as MediaMTX reads them)
//   #!::r=PATH,m=publish|request[,u=USER][,s=SECRET][,t=stream]   (SRT Access Control, v1)
//
// PATH may end in "?token=JWT" (a signed media token instead of a password). A password
// may contain ':'; a path may not. Anything else, an empty path, an unknown action or mode,
// a "t" other than "stream", or a stream id over kMaxLength bytes is Malformed, naming what.
struct StreamId {
  enum class Action { Read, Publish };

  static constexpr std::size_t kMaxLength = 512;  // SRT's own limit on SRTO_STREAMID

  static base::Result<StreamId> parse(std::string_view text);

  Action action = Action::Read;
  std::string path;      // as given, without the "?token=…" part
  std::string user;      // empty when absent
  std::string password;  // empty when absent
  std::string token;     // the "token" query parameter, empty when absent
};

}  // namespace ocellus::proto::srt
