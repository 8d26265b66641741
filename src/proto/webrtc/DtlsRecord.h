#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"

namespace ocellus::proto::webrtc {

// Record content types (RFC 5246 §6.2.1, RFC 6520 for heartbeat).
namespace dtls {
inline constexpr std::uint8_t kChangeCipherSpec = 20;
inline constexpr std::uint8_t kAlert = 21;
inline constexpr std::uint8_t kHandshake = 22;
inline constexpr std::uint8_t kApplicationData = 23;
inline constexpr std::uint8_t kHeartbeat = 24;

inline constexpr std::uint16_t kVersion10 = 0xfeff;  // {254, 255}: DTLS 1.0, also in 1.2 ClientHellos
inline constexpr std::uint16_t kVersion12 = 0xfefd;  // {254, 253}

inline constexpr std::uint8_t kClientHello = 1;  // HandshakeType (RFC 5246 §7.4)
}  // namespace dtls

// The handshake message header of DTLS (RFC 6347 §4.2.2), which prefixes each handshake
// fragment inside a handshake record:
//
//   struct {
//     HandshakeType msg_type;      // 1 byte
//     uint24 length;               // the whole message
//     uint16 message_seq;
//     uint24 fragment_offset;
//     uint24 fragment_length;      // the bytes of this fragment that follow
//   } Handshake;
struct DtlsHandshakeHeader {
  static constexpr std::size_t kSize = 12;

  std::uint8_t msgType = 0;
  std::uint32_t length = 0;
  std::uint16_t messageSeq = 0;
  std::uint32_t fragmentOffset = 0;
  std::uint32_t fragmentLength = 0;
};

// A zero-copy view of one DTLS record (RFC 6347 §4.1) over bytes it does not own, which must
// outlive it. Several records may share one datagram (§4.1.1); parseDatagram splits them.
// It only reads headers (it never decrypts), so it can vet a datagram before OpenSSL sees it
// and tell a ClientHello, which opens a new association, from everything else.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  ContentType  |  version (major 254, minor) |      epoch      |
//  |                     sequence_number (48 bits)                  |
//  |                               |            length             |
//  |                     fragment (length bytes) ...               |
class DtlsRecord {
 public:
  static constexpr std::size_t kHeaderSize = 13;
  // RFC 5246 §6.2.3: a TLSCiphertext fragment is at most 2^14 + 2048 bytes.
  static constexpr std::size_t kMaxFragmentSize = 16384 + 2048;
  // More records than this in one datagram is an attack, not a handshake flight.
  static constexpr std::size_t kMaxRecordsPerDatagram = 64;

  // Parses the record at the front of data (data may hold more records after it). The content
  // type must be 20..24 (a DTLS 1.3 unified header or an RFC 9146 CID record is Unsupported),
  // the version DTLS 1.0 or 1.2, the fragment inside data, and not empty unless application
  // data (RFC 5246 §6.2.1).
  static base::Result<DtlsRecord> parse(std::span<const std::uint8_t> data);
  // Parses every record of a datagram; every byte must belong to a record.
  static base::Result<std::vector<DtlsRecord>> parseDatagram(std::span<const std::uint8_t> datagram);
  // True when the datagram's first record is a plaintext (epoch 0) handshake record whose
  // first message is a ClientHello (or a fragment of one).
  static bool isClientHello(std::span<const std::uint8_t> datagram);

  std::uint8_t contentType() const { return data_[0]; }
  std::uint16_t version() const { return be16(1); }
  std::uint16_t epoch() const { return be16(3); }
  std::uint64_t sequenceNumber() const;
  std::span<const std::uint8_t> fragment() const { return data_.subspan(kHeaderSize); }
  std::span<const std::uint8_t> bytes() const { return data_; }  // header and fragment
  std::size_t size() const { return data_.size(); }

  // The first handshake message header of a plaintext (epoch 0) handshake record, when the
  // fragment holds one whose fragment lies inside both the record and the message.
  std::optional<DtlsHandshakeHeader> handshakeHeader() const;

 private:
  DtlsRecord() = default;
  std::uint16_t be16(std::size_t at) const {
    return static_cast<std::uint16_t>(data_[at] << 8 | data_[at + 1]);
  }

  std::span<const std::uint8_t> data_;
};

// Writes a 13-byte record header; the inverse of the accessors above.
void writeDtlsRecordHeader(std::span<std::uint8_t, DtlsRecord::kHeaderSize> out, std::uint8_t contentType,
                           std::uint16_t version, std::uint16_t epoch, std::uint64_t sequenceNumber,
                           std::uint16_t length);

}  // namespace ocellus::proto::webrtc
