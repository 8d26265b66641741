// Parses arbitrary bytes as an hvcC record; a parsed record must serialize to bytes that parse
// back to the same record, and building one from its VPS/SPS/PPS must not crash.
#include <cstdlib>

#include "codec/h265/DecoderConfigurationRecord.h"
#include "codec/h265/Nal.h"

using ocellus::codec::h265::DecoderConfigurationRecord;
using ocellus::codec::h265::NalType;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto record = DecoderConfigurationRecord::parse({data, size});
  if (!record) return 0;
  auto again = DecoderConfigurationRecord::parse(record->serialize());
  if (!again || !(*again == *record)) std::abort();
  if (record->codecString().rfind("hvc1.", 0) != 0) std::abort();
  const auto vps = record->unitsOfType(static_cast<std::uint8_t>(NalType::Vps));
  const auto sps = record->unitsOfType(static_cast<std::uint8_t>(NalType::Sps));
  const auto pps = record->unitsOfType(static_cast<std::uint8_t>(NalType::Pps));
  if (!vps.empty() && !sps.empty() && !pps.empty()) {
    if (auto built = DecoderConfigurationRecord::fromParameterSets(vps[0], sps[0], pps[0])) {
      if (!DecoderConfigurationRecord::parse(built->serialize())) std::abort();
    }
  }
  return 0;
}
