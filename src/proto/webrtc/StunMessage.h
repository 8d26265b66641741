#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "proto/webrtc/TransportAddress.h"

namespace ocellus::proto::webrtc {

// The message class, the two C bits of the message type (RFC 8489 §5).
enum class StunClass : std::uint8_t { Request = 0, Indication = 1, SuccessResponse = 2, ErrorResponse = 3 };

// Methods (RFC 8489 §18.2): ICE uses Binding alone; other values pass through as numbers.
enum class StunMethod : std::uint16_t { Binding = 0x001 };

// Attribute types (RFC 8489 §18.3, RFC 8445 §16.1). Types below 0x8000 are
// comprehension-required, the others comprehension-optional (RFC 8489 §14).
enum class StunAttribute : std::uint16_t {
  MappedAddress = 0x0001,
  Username = 0x0006,
  MessageIntegrity = 0x0008,
  ErrorCode = 0x0009,
  UnknownAttributes = 0x000A,
  MessageIntegritySha256 = 0x001C,
  XorMappedAddress = 0x0020,
  Priority = 0x0024,
  UseCandidate = 0x0025,
  Software = 0x8022,
  Fingerprint = 0x8028,
  IceControlled = 0x8029,
  IceControlling = 0x802A,
  GoogNetworkInfo = 0xC057,  // Chromium's, comprehension-optional: never interpreted here
};

using StunTransactionId = std::array<std::uint8_t, 12>;

// A zero-copy view of one STUN message (RFC 8489 §5, §14) over bytes it does not own, which must
// outlive it and every span and string_view its accessors return:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |0 0|     STUN Message Type     |         Message Length        |
//   |                         Magic Cookie                          |
//   |                     Transaction ID (96 bits)                  |
//   |         Type                  |            Length             |  one per attribute,
//   |                         Value (variable)                ....  |  padded to 4 bytes
//
// parse() reads one datagram: it checks the header, walks the attributes and checks the length
// of every attribute the accessors interpret, so the accessors never fail on a parsed message
// beyond "absent". It never throws and never reads outside its span. MESSAGE-INTEGRITY and
// FINGERPRINT are located by parse() and checked only when asked (verify*), since the key is
// the caller's. After MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count,
// and after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT (§14.5, §14.6): anything else there is
// skipped, as if absent. MESSAGE-INTEGRITY-SHA256 is accepted and not verified.
//
// StunMessage::Builder writes messages; bindingRequest(), bindingSuccess() and bindingError()
// write the ones ICE needs.
class StunMessage {
 public:
  static constexpr std::size_t kHeaderSize = 20;
  static constexpr std::uint32_t kMagicCookie = 0x2112A442;
  // No STUN message we take is larger than one Ethernet-sized datagram; a check from a browser
  // is about 100 bytes (§6.1 wants messages below the path MTU).
  static constexpr std::size_t kMaxMessageSize = 1500;
  static constexpr std::size_t kMaxAttributes = 32;
  // USERNAME for ICE is "ufrag:ufrag", each up to 256 characters (RFC 8839 §5.4).
  static constexpr std::size_t kMaxUsernameSize = 513;
  // SOFTWARE and the ERROR-CODE reason phrase: fewer than 128 characters, 763 bytes (§14.8, §14.14).
  static constexpr std::size_t kMaxTextSize = 763;
  static constexpr std::size_t kIntegritySize = 20;             // HMAC-SHA1 (§14.5)
  static constexpr std::uint32_t kFingerprintXor = 0x5354554e;  // "STUN" (§14.7)

  // One attribute as it stands in the message: its type and its value without padding.
  struct Attribute {
    std::uint16_t type = 0;
    std::span<const std::uint8_t> value;
  };

  // ERROR-CODE (§14.8): 300..699 and a UTF-8 reason phrase.
  struct Error {
    std::uint16_t code = 0;
    std::string_view reason;
  };

  static base::Result<StunMessage> parse(std::span<const std::uint8_t> datagram);
  // A view of a temporary would dangle at once.
  static base::Result<StunMessage> parse(std::vector<std::uint8_t>&& datagram) = delete;

  // RFC 7983 §7 demultiplexing: a first byte of 0..3 is STUN, and the magic cookie confirms it.
  // Cheap enough to run on every datagram; parse() decides whether it is well formed.
  static bool looksLikeStun(std::span<const std::uint8_t> datagram);

  std::uint16_t method() const;  // 12 bits
  StunClass messageClass() const;
  bool isBindingRequest() const {
    return method() == static_cast<std::uint16_t>(StunMethod::Binding) &&
           messageClass() == StunClass::Request;
  }
  StunTransactionId transactionId() const;
  std::span<const std::uint8_t> bytes() const { return data_; }

  // Every attribute that counts, in message order (duplicates included).
  std::size_t attributeCount() const { return attributeCount_; }
  Attribute attributeAt(std::size_t i) const;
  // The value of the first attribute of a type: later ones are ignored (§14).
  std::optional<std::span<const std::uint8_t>> attribute(std::uint16_t type) const;
  std::optional<std::span<const std::uint8_t>> attribute(StunAttribute type) const {
    return attribute(static_cast<std::uint16_t>(type));
  }
  bool has(StunAttribute type) const { return attribute(type).has_value(); }

  // Comprehension-required attributes (type < 0x8000) this parser does not know, in message
  // order, each once: a request carrying any is answered with 420 (§6.3.1). REALM and NONCE
  // (long-term credentials) count as unknown: an ICE agent has no use for them.
  std::span<const std::uint16_t> unknownRequiredAttributes() const {
    return std::span<const std::uint16_t>(unknown_).first(unknownCount_);
  }

  std::optional<std::string_view> username() const;  // §14.3
  std::optional<std::string_view> software() const;  // §14.14
  std::optional<Error> errorCode() const;            // §14.8
  // UNKNOWN-ATTRIBUTES (§14.13) of a 420 response.
  std::vector<std::uint16_t> unknownAttributesList() const;
  std::optional<TransportAddress> xorMappedAddress() const;               // §14.2
  std::optional<TransportAddress> mappedAddress() const;                  // §14.1
  std::optional<std::uint32_t> priority() const;                          // RFC 8445 §7.1.1
  bool useCandidate() const { return has(StunAttribute::UseCandidate); }  // RFC 8445 §7.1.2
  std::optional<std::uint64_t> iceControlling() const;                    // tie-breaker, RFC 8445 §7.1.3
  std::optional<std::uint64_t> iceControlled() const;

  bool hasMessageIntegrity() const { return integrityOffset_ != 0; }
  // HMAC-SHA1 under key (for ICE the password, RFC 8445 §7.2.2) over the message up to
  // MESSAGE-INTEGRITY with the header length counting up to its end (§14.5); compared in
  // constant time. False when the attribute is absent.
  bool verifyMessageIntegrity(std::span<const std::uint8_t> key) const;
  bool verifyMessageIntegrity(std::string_view password) const;
  bool hasFingerprint() const { return fingerprintOffset_ != 0; }
  // CRC-32 of the message up to FINGERPRINT, XOR 0x5354554e (§14.7). False when absent.
  bool verifyFingerprint() const;

  // The message type for a method and class (§5): M11..M7 C1 M6..M4 C0 M3..M0.
  static std::uint16_t messageType(std::uint16_t method, StunClass messageClass);

  // The reason phrase §14.8 gives a code ("Bad Request" for 400), or "" for others.
  static std::string_view reasonPhrase(std::uint16_t code);

  // 96 cryptographically random bits (§6: transaction ids MUST be), from OpenSSL's RAND_bytes.
  static StunTransactionId randomTransactionId();

  // Writes one message: the header, then attributes in the order added, each padded with zero
  // bytes, then MESSAGE-INTEGRITY and FINGERPRINT when finish() is asked for them. The caller
  // keeps values within the limits above; a value longer than 0xFFFC bytes is cut there so the
  // length fields stay valid.
  class Builder {
   public:
    Builder(std::uint16_t method, StunClass messageClass, const StunTransactionId& transactionId);

    Builder& attribute(std::uint16_t type, std::span<const std::uint8_t> value);
    Builder& username(std::string_view username);
    Builder& software(std::string_view software);
    Builder& priority(std::uint32_t priority);
    Builder& useCandidate();
    Builder& iceControlling(std::uint64_t tieBreaker);
    Builder& iceControlled(std::uint64_t tieBreaker);
    Builder& xorMappedAddress(const TransportAddress& address);
    Builder& errorCode(std::uint16_t code, std::string_view reason);
    Builder& unknownAttributes(std::span<const std::uint16_t> types);

    // MESSAGE-INTEGRITY under integrityKey unless it is empty, then FINGERPRINT if asked.
    std::vector<std::uint8_t> finish(std::span<const std::uint8_t> integrityKey, bool fingerprint = true);
    std::vector<std::uint8_t> finish(std::string_view password, bool fingerprint = true);

   private:
    std::vector<std::uint8_t> out_;
    StunTransactionId transactionId_;
  };

  // A connectivity check as an ICE agent sends it (RFC 8445 §7.2.2), for clients and tests.
  struct BindingRequest {
    StunTransactionId transactionId{};
    std::string_view username{};  // "remote ufrag:local ufrag"
    std::string_view password{};  // the remote agent's ice-pwd: the MESSAGE-INTEGRITY key
    std::uint32_t priority = 0;
    std::optional<std::uint64_t> iceControlling{};
    std::optional<std::uint64_t> iceControlled{};
    bool useCandidate = false;
    std::string_view software{};  // left out when empty
  };
  static std::vector<std::uint8_t> bindingRequest(const BindingRequest& request);
  // A Binding success response (RFC 8489 §12, RFC 8445 §7.3.1): XOR-MAPPED-ADDRESS, then
  // MESSAGE-INTEGRITY under the password that authenticated the request, then FINGERPRINT.
  static std::vector<std::uint8_t> bindingSuccess(const StunTransactionId& transactionId,
                                                  const TransportAddress& mapped, std::string_view password);
  // An error response: ERROR-CODE with the standard reason phrase, UNKNOWN-ATTRIBUTES for 420,
  // MESSAGE-INTEGRITY unless password is empty (400 and 401 answer unauthenticated requests
  // and carry none, RFC 8489 §9.1.3), then FINGERPRINT.
  static std::vector<std::uint8_t> bindingError(const StunTransactionId& transactionId, std::uint16_t code,
                                                std::string_view password,
                                                std::span<const std::uint16_t> unknownAttributes = {});

 private:
  struct Entry {
    std::uint16_t type = 0;
    std::uint16_t offset = 0;  // of the value, from the start of the message
    std::uint16_t length = 0;
  };

  StunMessage() = default;
  std::optional<TransportAddress> address(StunAttribute type, bool xored) const;
  std::optional<std::uint64_t> u64(StunAttribute type) const;

  std::span<const std::uint8_t> data_;
  std::array<Entry, kMaxAttributes> entries_{};
  std::array<std::uint16_t, kMaxAttributes> unknown_{};
  std::uint16_t attributeCount_ = 0;
  std::uint16_t unknownCount_ = 0;
  std::uint16_t integrityOffset_ = 0;    // of the MESSAGE-INTEGRITY attribute header; 0: none
  std::uint16_t fingerprintOffset_ = 0;  // of the FINGERPRINT attribute header; 0: none
};

}  // namespace ocellus::proto::webrtc
