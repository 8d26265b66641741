// Parses arbitrary bytes as an AudioSpecificConfig (binary and as SDP hex text); a parsed
// config must serialize to bytes that parse back to the same fields.
#include <cstdlib>

#include "codec/aac/AudioSpecificConfig.h"

using ocellus::codec::aac::AudioSpecificConfig;

static void check(const ocellus::base::Result<AudioSpecificConfig>& config) {
  if (!config) return;
  auto again = AudioSpecificConfig::parse(config->serialize());
  if (!again || *again != *config) std::abort();
  auto fromHex = AudioSpecificConfig::parseHex(config->hex());
  if (!fromHex || *fromHex != *config) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(AudioSpecificConfig::parse({data, size}));
  check(AudioSpecificConfig::parseHex({reinterpret_cast<const char*>(data), size}));
  return 0;
}
