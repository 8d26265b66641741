// Parses arbitrary bytes as an avcC record; a parsed record must serialize to bytes that parse
// back to the same record, and its codec string must have the avc1.PPCCLL form.
#include <cstdlib>

#include "codec/h264/DecoderConfigurationRecord.h"

using ocellus::codec::h264::DecoderConfigurationRecord;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto record = DecoderConfigurationRecord::parse({data, size});
  if (!record) return 0;
  auto again = DecoderConfigurationRecord::parse(record->serialize());
  if (!again || !(*again == *record)) std::abort();
  if (record->codecString().size() != 11) std::abort();
  if (!record->sps.empty() && !record->pps.empty()) {
    // Building from the first parameter sets must not crash, whatever they hold.
    (void)DecoderConfigurationRecord::fromParameterSets(record->sps[0], record->pps[0]);
  }
  return 0;
}
