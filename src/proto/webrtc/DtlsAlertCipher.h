#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/Result.h"
#include "proto/webrtc/DtlsRecord.h"

namespace ocellus::proto::webrtc {

// An alert (RFC 5246 §7.2): struct { AlertLevel level; AlertDescription description; }.
struct DtlsAlert {
  static constexpr std::uint8_t kWarning = 1;
  static constexpr std::uint8_t kFatal = 2;
  static constexpr std::uint8_t kCloseNotify = 0;  // RFC 5246 §7.2.1

  std::uint8_t level = kWarning;
  std::uint8_t description = kCloseNotify;
};

// The alert protection of an established DTLS 1.2 association, for when OpenSSL's `SSL` is
// gone (DtlsEndpoint frees it once the peer has proved it finished, to save its ~30 KB per
// session): it opens the alerts the peer sends in epoch 1 (a browser ends a session with an
// encrypted close_notify) and seals our own close_notify. Nothing else is read or written.
//
// Only the AES-GCM suites (RFC 5288), the only ones DtlsEndpoint negotiates: the keys come
// from the session's master secret as RFC 5246 §6.3's key_block (TLS 1.2 PRF with the suite's
// hash), which for an AEAD suite is client_write_key | server_write_key | client_write_IV |
// server_write_IV, the IVs being the 4-byte implicit part of the nonce. A record's fragment
// is the 8-byte explicit nonce, the ciphertext and the 16-byte tag; the additional data is
// epoch + sequence number (8) | type (1) | version (2) | plaintext length (2).
//
// Stateless per record: a replayed alert opens again (no replay window), which is harmless for
// the only alerts acted on, since they end the association. Keys are wiped on destruction.
class DtlsAlertCipher {
 public:
  enum class Suite : std::uint8_t { Aes128GcmSha256, Aes256GcmSha384 };
  static constexpr std::size_t kMasterSecretSize = 48;  // RFC 5246 §8.1
  static constexpr std::size_t kRandomSize = 32;        // ClientHello/ServerHello random
  static constexpr std::size_t kExplicitNonceSize = 8;
  static constexpr std::size_t kAlertSize = 2;  // level, description
  static constexpr std::size_t kTagSize = 16;
  static constexpr std::size_t kRecordSize =
      DtlsRecord::kHeaderSize + kExplicitNonceSize + kAlertSize + kTagSize;
  // The epoch the handshake's ChangeCipherSpec starts; without renegotiation the only one.
  static constexpr std::uint16_t kEpoch = 1;

  // Derives both directions' keys. weAreClient picks which of them opens and which seals.
  // InvalidArgument for wrong sizes, Internal when OpenSSL's TLS1-PRF fails.
  static base::Result<DtlsAlertCipher> derive(Suite suite, std::span<const std::uint8_t> masterSecret,
                                              std::span<const std::uint8_t> clientRandom,
                                              std::span<const std::uint8_t> serverRandom, bool weAreClient);

  DtlsAlertCipher(const DtlsAlertCipher&) = delete;
  DtlsAlertCipher& operator=(const DtlsAlertCipher&) = delete;
  DtlsAlertCipher(DtlsAlertCipher&& other) noexcept;
  DtlsAlertCipher& operator=(DtlsAlertCipher&& other) noexcept;
  ~DtlsAlertCipher();

  // The alert in one record from the peer: nullopt unless it is an alert record of epoch 1
  // holding exactly one alert that authenticates with the peer's write key.
  std::optional<DtlsAlert> open(const DtlsRecord& record) const;
  // `alert` as one record from us in epoch 1 with this sequence number, which must be above
  // every one we sent in that epoch (it is also the explicit nonce: RFC 5288 §3 allows it, and
  // it is unique as long as the sequence number is). nullopt when OpenSSL fails.
  std::optional<std::array<std::uint8_t, kRecordSize>> seal(DtlsAlert alert,
                                                            std::uint64_t sequenceNumber) const;

 private:
  static constexpr std::size_t kMaxKeySize = 32;
  static constexpr std::size_t kSaltSize = 4;  // the implicit nonce (client/server_write_IV)
  struct Direction {
    std::array<std::uint8_t, kMaxKeySize> key{};
    std::array<std::uint8_t, kSaltSize> salt{};
  };

  DtlsAlertCipher() = default;
  // AES-GCM over the two alert bytes in place: seals (writes the tag) or opens (checks it).
  bool transform(const Direction& keys, std::span<const std::uint8_t, kExplicitNonceSize> explicitNonce,
                 std::uint64_t sequenceNumber, std::span<std::uint8_t, kAlertSize> alert, std::uint8_t* tag,
                 bool seal) const;
  std::size_t keySize() const { return suite_ == Suite::Aes128GcmSha256 ? 16 : 32; }

  Suite suite_ = Suite::Aes128GcmSha256;
  Direction read_;   // the peer's write key
  Direction write_;  // ours
};

}  // namespace ocellus::proto::webrtc
