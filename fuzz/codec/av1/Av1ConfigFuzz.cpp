// Parses arbitrary bytes as an av1C record (and so its configOBUs and sequence header); a parsed
// record must serialize to bytes that parse back to the same record, and making a record from its
// own sequence header OBU must give it again.
#include <cstdlib>

#include "codec/av1/ConfigurationRecord.h"

using ocellus::codec::av1::ConfigurationRecord;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto record = ConfigurationRecord::parse({data, size});
  if (!record) return 0;
  auto again = ConfigurationRecord::parse(record->serialize());
  if (!again || !(*again == *record)) std::abort();
  auto fromHeader = ConfigurationRecord::fromSequenceHeader(record->sequenceHeaderObu());
  if (!fromHeader || !(fromHeader->header == record->header)) std::abort();
  return 0;
}
