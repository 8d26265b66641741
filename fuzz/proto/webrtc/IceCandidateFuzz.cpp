// IceCandidate::parse must never crash; what it parses must survive toValue/toString -> parse.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/webrtc/IceCandidate.h"

using namespace ocellus::proto::webrtc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto c = IceCandidate::parse({reinterpret_cast<const char*>(data), size});
  if (!c) return 0;
  (void)c->addressKind();
  (void)c->isMdns();
  (void)c->generation();
  (void)c->ufrag();
  (void)c->networkId();
  auto again = IceCandidate::parse(c->toValue());
  if (!again || *again != *c) std::abort();
  const std::string line = "a=" + c->toString();
  if (line.size() <= IceCandidate::kMaxSize) {
    auto full = IceCandidate::parse(line);
    if (!full || *full != *c) std::abort();
  }
  return 0;
}
