// SessionDescription::parse must never crash, and parse -> toString -> parse must give the same
// description (the serializer writes what the parser reads).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "format/sdp/SessionDescription.h"

using namespace ocellus::format::sdp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto sd = SessionDescription::parse(text);
  if (!sd) return 0;
  (void)sd->control();
  (void)sd->direction();
  for (const auto& m : sd->media) {
    (void)m.control();
    (void)m.direction(sd->direction());
    for (std::uint8_t pt : m.payloadTypes()) {
      if (auto map = m.rtpmap(pt)) {
        auto again = RtpMap::parse(map->toString());
        if (!again || *again != *map) std::abort();
      }
      (void)m.fmtp(pt);
    }
  }
  auto reparsed = SessionDescription::parse(sd->toString());
  if (!reparsed) {
    // Defaults for missing o=/s=/t= lines may push a text at the limits over them.
    if (reparsed.error().code == ocellus::base::ErrorCode::TooLarge) return 0;
    std::abort();
  }
  if (*reparsed != *sd) std::abort();
  return 0;
}
