// Parses arbitrary bytes as one datagram of DTLS records: the records must tile the input in
// order, each header written back from the accessors must equal the input's, the handshake
// header (when one is read) must lie inside its record and message, and isClientHello must
// agree with what the first record says.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "proto/webrtc/DtlsRecord.h"

using namespace ocellus::proto::webrtc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  auto first = DtlsRecord::parse(input);
  bool clientHello = false;
  if (first && first->contentType() == dtls::kHandshake) {
    auto h = first->handshakeHeader();
    clientHello = h && h->msgType == dtls::kClientHello;
  }
  if (DtlsRecord::isClientHello(input) != clientHello) std::abort();

  auto records = DtlsRecord::parseDatagram(input);
  if (!records) return 0;
  if (records->empty() || records->size() > DtlsRecord::kMaxRecordsPerDatagram) std::abort();
  std::size_t offset = 0;
  for (const DtlsRecord& r : *records) {
    if (r.bytes().data() != data + offset || r.size() != DtlsRecord::kHeaderSize + r.fragment().size())
      std::abort();
    if (r.fragment().size() > DtlsRecord::kMaxFragmentSize) std::abort();
    std::uint8_t header[DtlsRecord::kHeaderSize];
    writeDtlsRecordHeader(header, r.contentType(), r.version(), r.epoch(), r.sequenceNumber(),
                          static_cast<std::uint16_t>(r.fragment().size()));
    if (std::memcmp(header, data + offset, sizeof header) != 0) std::abort();
    if (auto h = r.handshakeHeader()) {
      if (r.epoch() != 0 || r.contentType() != dtls::kHandshake) std::abort();
      if (std::uint64_t{h->fragmentOffset} + h->fragmentLength > h->length) std::abort();
      if (DtlsHandshakeHeader::kSize + h->fragmentLength > r.fragment().size()) std::abort();
    }
    offset += r.size();
  }
  if (offset != size) std::abort();
  return 0;
}
