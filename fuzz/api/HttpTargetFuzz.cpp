// Feeds one arbitrary request target through Target::parse (and the helpers the router uses
// on it) and checks what a handler relies on: a parsed path starts with '/' (or is "*") and
// never holds NUL, the raw path is a prefix of the target's path part, and splitting the raw
// path yields only non-empty segments without '/'.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/http/Target.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = ocellus::api::http;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto target = http::Target::parse(text)) {
    check(!target->path.empty());
    check(target->path == "*" || target->path.front() == '/');
    check(target->path.find('\0') == std::string_view::npos);
    for (const auto& [key, value] : target->query) {
      check(key.find('\0') == std::string_view::npos && value.find('\0') == std::string_view::npos);
    }
    for (const auto segment : http::splitPath(target->rawPath)) {
      check(!segment.empty() && segment.find('/') == std::string_view::npos);
    }
  }
  for (const bool plus : {false, true}) {
    if (auto decoded = http::percentDecode(text, plus)) {
      check(decoded->size() <= text.size());
      check(decoded->find('\0') == std::string_view::npos);
    }
  }
  return 0;
}
