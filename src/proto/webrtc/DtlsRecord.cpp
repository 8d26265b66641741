#include "proto/webrtc/DtlsRecord.h"

#include <string>

#include "base/ByteReader.h"

namespace ocellus::proto::webrtc {
namespace {

constexpr std::uint64_t kMaxSequenceNumber = (std::uint64_t{1} << 48) - 1;

base::Error error(base::ErrorCode code, const char* what) {
  return base::makeError(code, std::string("dtls record: ") + what);
}

}  // namespace

base::Result<DtlsRecord> DtlsRecord::parse(std::span<const std::uint8_t> data) {
  if (data.size() < kHeaderSize) return error(base::ErrorCode::Truncated, "shorter than the record header");
  const std::uint8_t type = data[0];
  if (type < dtls::kChangeCipherSpec || type > dtls::kHeartbeat) {
    // 25 is a connection-ID record (RFC 9146) and 32..63 the DTLS 1.3 unified header (RFC 9147
    // §4): both have other header layouts, and neither is negotiated by a DTLS 1.2 endpoint.
    return error(base::ErrorCode::Unsupported, "content type is not one of DTLS 1.2's");
  }
  const auto version = static_cast<std::uint16_t>(data[1] << 8 | data[2]);
  if (version != dtls::kVersion10 && version != dtls::kVersion12) {
    return error(base::ErrorCode::Unsupported, "version is neither DTLS 1.0 nor 1.2");
  }
  const std::size_t length = static_cast<std::size_t>(data[11] << 8 | data[12]);
  if (length > kMaxFragmentSize) return error(base::ErrorCode::TooLarge, "fragment longer than 2^14 + 2048");
  if (length > data.size() - kHeaderSize)
    return error(base::ErrorCode::Truncated, "fragment runs past the end");
  if (length == 0 && type != dtls::kApplicationData) {
    return error(base::ErrorCode::Malformed, "empty handshake, alert or change_cipher_spec fragment");
  }
  DtlsRecord record;
  record.data_ = data.first(kHeaderSize + length);
  return record;
}

base::Result<std::vector<DtlsRecord>> DtlsRecord::parseDatagram(std::span<const std::uint8_t> datagram) {
  if (datagram.empty()) return error(base::ErrorCode::Truncated, "empty datagram");
  std::vector<DtlsRecord> records;
  while (!datagram.empty()) {
    if (records.size() == kMaxRecordsPerDatagram) {
      return error(base::ErrorCode::TooLarge, "more records in one datagram than allowed");
    }
    auto record = parse(datagram);
    if (!record) return record.error();
    datagram = datagram.subspan(record->size());
    records.push_back(*record);
  }
  return records;
}

bool DtlsRecord::isClientHello(std::span<const std::uint8_t> datagram) {
  auto record = parse(datagram);
  if (!record || record->contentType() != dtls::kHandshake) return false;
  auto header = record->handshakeHeader();
  return header && header->msgType == dtls::kClientHello;
}

std::uint64_t DtlsRecord::sequenceNumber() const {
  std::uint64_t value = 0;
  for (std::size_t i = 5; i < 11; ++i) value = value << 8 | data_[i];
  return value;
}

std::optional<DtlsHandshakeHeader> DtlsRecord::handshakeHeader() const {
  // Handshake records of epoch 1 and later are encrypted: their bytes are no header.
  if (contentType() != dtls::kHandshake || epoch() != 0) return std::nullopt;
  base::ByteReader r(fragment());
  auto msgType = r.u8();
  auto length = r.u24();
  auto messageSeq = r.u16();
  auto fragmentOffset = r.u24();
  auto fragmentLength = r.u24();
  if (!msgType || !length || !messageSeq || !fragmentOffset || !fragmentLength) return std::nullopt;
  // The fragment must lie inside the message (RFC 6347 §4.2.3) and inside this record.
  if (std::uint64_t{*fragmentOffset} + *fragmentLength > *length || *fragmentLength > r.remaining()) {
    return std::nullopt;
  }
  return DtlsHandshakeHeader{*msgType, *length, *messageSeq, *fragmentOffset, *fragmentLength};
}

void writeDtlsRecordHeader(std::span<std::uint8_t, DtlsRecord::kHeaderSize> out, std::uint8_t contentType,
                           std::uint16_t version, std::uint16_t epoch, std::uint64_t sequenceNumber,
                           std::uint16_t length) {
  sequenceNumber &= kMaxSequenceNumber;
  out[0] = contentType;
  out[1] = static_cast<std::uint8_t>(version >> 8);
  out[2] = static_cast<std::uint8_t>(version);
  out[3] = static_cast<std::uint8_t>(epoch >> 8);
  out[4] = static_cast<std::uint8_t>(epoch);
  for (std::size_t i = 0; i < 6; ++i) out[5 + i] = static_cast<std::uint8_t>(sequenceNumber >> (40 - 8 * i));
  out[11] = static_cast<std::uint8_t>(length >> 8);
  out[12] = static_cast<std::uint8_t>(length);
}

}  // namespace ocellus::proto::webrtc
