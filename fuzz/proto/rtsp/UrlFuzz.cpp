// Url::parse must never crash; the URL without credentials must parse to the same location.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/rtsp/Url.h"

using namespace ocellus::proto::rtsp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto url = Url::parse(text);
  if (!url) return 0;
  (void)url->portOrDefault();
  (void)resolveControl(text, "trackID=1");
  auto again = Url::parse(url->withoutCredentials());
  if (!again || !again->user().empty() || !again->password().empty() || again->scheme() != url->scheme() ||
      again->host() != url->host() || again->port() != url->port() || again->path() != url->path() ||
      again->query() != url->query() || again->withoutCredentials() != url->withoutCredentials()) {
    std::abort();
  }
  return 0;
}
