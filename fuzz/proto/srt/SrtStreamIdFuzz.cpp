// StreamId::parse must never crash, and what it accepts must say the same when written back in
// the MediaMTX spelling.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/srt/StreamId.h"

using ocellus::proto::srt::StreamId;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto id = StreamId::parse(text);
  if (!id) return 0;
  if (id->path.empty() || id->path.find(':') != std::string::npos) std::abort();
  if (id->path.find(',') != std::string::npos || id->user.find(':') != std::string::npos ||
      id->token.find(':') != std::string::npos) {
    return 0;  // not expressible in the MediaMTX spelling
  }
  std::string again = id->action == StreamId::Action::Publish ? "publish:" : "read:";
  again += id->path;
  if (!id->token.empty()) again += "?token=" + id->token;
  if (!id->user.empty()) again += ":" + id->user + ":" + id->password;
  const auto back = StreamId::parse(again);
  if (again.size() <= StreamId::kMaxLength &&
      (!back || back->action != id->action || back->path != id->path || back->token != id->token)) {
    std::abort();
  }
  return 0;
}
