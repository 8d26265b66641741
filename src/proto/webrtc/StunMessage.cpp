#include "proto/webrtc/StunMessage.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "base/Random.h"

namespace ocellus::proto::webrtc {
namespace {

constexpr std::size_t kAttributeHeaderSize = 4;
constexpr std::size_t kFingerprintSize = 4;
constexpr std::size_t kTieBreakerSize = 8;
constexpr std::size_t kMaxBuilderValue = 0xFFFC;  // the largest 4-aligned 16-bit length
constexpr std::uint8_t kFamilyIpv4 = 0x01;        // §14.1
constexpr std::uint8_t kFamilyIpv6 = 0x02;

constexpr std::size_t padded(std::size_t n) {
  return (n + 3) & ~std::size_t{3};
}

std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}
std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 | std::uint32_t{b[at + 2]} << 8 |
         b[at + 3];
}

constexpr std::uint16_t raw(StunAttribute type) {
  return static_cast<std::uint16_t>(type);
}

// The comprehension-required types the accessors interpret (or, for MESSAGE-INTEGRITY-SHA256,
// knowingly skip); every other type below 0x8000 is reported as unknown.
bool isKnownRequired(std::uint16_t type) {
  switch (static_cast<StunAttribute>(type)) {
    case StunAttribute::MappedAddress:
    case StunAttribute::Username:
    case StunAttribute::MessageIntegrity:
    case StunAttribute::ErrorCode:
    case StunAttribute::UnknownAttributes:
    case StunAttribute::MessageIntegritySha256:
    case StunAttribute::XorMappedAddress:
    case StunAttribute::Priority:
    case StunAttribute::UseCandidate:
      return true;
    default:
      return false;
  }
}

bool validAddress(std::span<const std::uint8_t> v) {
  // §14.1: a zero byte (ignored), the family, the port, then 4 or 16 address bytes.
  if (v.size() < 4) return false;
  return (v[1] == kFamilyIpv4 && v.size() == 8) || (v[1] == kFamilyIpv6 && v.size() == 20);
}

// Whether the value of an attribute the accessors interpret has the length (and, for
// ERROR-CODE, the code) its section prescribes. Other attributes are taken as they are.
bool validValue(std::uint16_t type, std::span<const std::uint8_t> v) {
  switch (static_cast<StunAttribute>(type)) {
    case StunAttribute::Username:
      return v.size() <= StunMessage::kMaxUsernameSize;
    case StunAttribute::MessageIntegrity:
      return v.size() == StunMessage::kIntegritySize;
    case StunAttribute::MessageIntegritySha256:  // §14.6: 16 to 32 bytes, a multiple of 4
      return v.size() >= 16 && v.size() <= 32 && v.size() % 4 == 0;
    case StunAttribute::Fingerprint:
    case StunAttribute::Priority:
      return v.size() == 4;
    case StunAttribute::UseCandidate:
      return v.empty();
    case StunAttribute::IceControlled:
    case StunAttribute::IceControlling:
      return v.size() == kTieBreakerSize;
    case StunAttribute::MappedAddress:
    case StunAttribute::XorMappedAddress:
      return validAddress(v);
    case StunAttribute::ErrorCode:
      // §14.8: 21 reserved bits, the class (3..6) and the number (0..99), then the reason.
      return v.size() >= 4 && v.size() - 4 <= StunMessage::kMaxTextSize && (v[2] & 0x07) >= 3 &&
             (v[2] & 0x07) <= 6 && v[3] <= 99;
    case StunAttribute::UnknownAttributes:
      return v.size() % 2 == 0;
    case StunAttribute::Software:
      return v.size() <= StunMessage::kMaxTextSize;
    default:
      return true;
  }
}

// CRC-32 as ISO/IEC 13239 (HDLC) and zlib define it (reflected polynomial 0xEDB88320), which
// is what §14.7 names.
constexpr std::array<std::uint32_t, 256> makeCrcTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = makeCrcTable();

std::uint32_t crc32(std::span<const std::uint8_t> data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (const std::uint8_t byte : data) c = kCrcTable[(c ^ byte) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

using Hmac = std::array<std::uint8_t, StunMessage::kIntegritySize>;

Hmac hmacSha1(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  // A zero-length key still needs a valid pointer.
  static constexpr std::uint8_t kNoKey = 0;
  Hmac out{};
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.empty() ? &kNoKey : key.data(), static_cast<int>(key.size()), data.data(), data.size(),
       out.data(), &length);
  return out;
}

base::Error malformed(const char* what) {
  return base::makeError(base::ErrorCode::Malformed, std::string("stun: ") + what);
}

}  // namespace

bool StunMessage::looksLikeStun(std::span<const std::uint8_t> datagram) {
  return datagram.size() >= kHeaderSize && datagram[0] <= 3 && be32(datagram, 4) == kMagicCookie;
}

base::Result<StunMessage> StunMessage::parse(std::span<const std::uint8_t> datagram) {
  if (datagram.size() < kHeaderSize) {
    return base::makeError(base::ErrorCode::Truncated, "stun: shorter than the 20-byte header");
  }
  if (datagram.size() > kMaxMessageSize) {
    return base::makeError(base::ErrorCode::TooLarge, "stun: larger than kMaxMessageSize");
  }
  // §5: the two most significant bits are zero, the length counts the attributes (a multiple
  // of 4) and over UDP the message fills the datagram.
  if ((datagram[0] & 0xC0) != 0) return malformed("the first two bits are not zero");
  const std::uint16_t length = be16(datagram, 2);
  if (length % 4 != 0) return malformed("the message length is not a multiple of 4");
  if (kHeaderSize + length != datagram.size())
    return malformed("the message length does not match the datagram");
  if (be32(datagram, 4) != kMagicCookie)
    return malformed("no magic cookie (RFC 3489 messages are not taken)");

  StunMessage m;
  m.data_ = datagram;
  enum class After { Nothing, Integrity, IntegritySha256 } after = After::Nothing;
  base::ByteReader r(datagram);
  r.skip(kHeaderSize);
  while (!r.empty()) {
    const std::size_t at = r.position();
    const auto type = r.u16();
    const auto size = r.u16();
    if (!type || !size) return malformed("an attribute header runs past the end");
    const auto value = r.bytes(*size);
    if (!value || !r.skip(padded(*size) - *size)) return malformed("an attribute runs past the end");
    // §14.7: FINGERPRINT is the last attribute when present.
    if (m.fingerprintOffset_ != 0) return malformed("an attribute follows FINGERPRINT");
    const bool isFingerprint = *type == raw(StunAttribute::Fingerprint);
    // §14.5, §14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count,
    // after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT; the rest is ignored.
    if (!isFingerprint &&
        (after == After::IntegritySha256 ||
         (after == After::Integrity && *type != raw(StunAttribute::MessageIntegritySha256)))) {
      continue;
    }
    if (!validValue(*type, *value)) return malformed("an attribute value has the wrong length or content");
    if (m.attributeCount_ == kMaxAttributes) {
      return base::makeError(base::ErrorCode::TooLarge, "stun: more than kMaxAttributes attributes");
    }
    m.entries_[m.attributeCount_++] = {*type, static_cast<std::uint16_t>(at + kAttributeHeaderSize), *size};
    if (isFingerprint) {
      m.fingerprintOffset_ = static_cast<std::uint16_t>(at);
    } else if (*type == raw(StunAttribute::MessageIntegrity)) {
      m.integrityOffset_ = static_cast<std::uint16_t>(at);
      after = After::Integrity;
    } else if (*type == raw(StunAttribute::MessageIntegritySha256)) {
      after = After::IntegritySha256;
    } else if (*type < 0x8000 && !isKnownRequired(*type)) {
      const auto known = m.unknownRequiredAttributes();
      if (std::find(known.begin(), known.end(), *type) == known.end()) m.unknown_[m.unknownCount_++] = *type;
    }
  }
  return m;
}

std::uint16_t StunMessage::messageType(std::uint16_t method, StunClass messageClass) {
  const auto c = static_cast<std::uint16_t>(messageClass);
  return static_cast<std::uint16_t>((method & 0x000F) | (method & 0x0070) << 1 | (method & 0x0F80) << 2 |
                                    (c & 1) << 4 | (c & 2) << 7);
}

std::uint16_t StunMessage::method() const {
  const std::uint16_t t = be16(data_, 0);
  return static_cast<std::uint16_t>((t & 0x000F) | (t & 0x00E0) >> 1 | (t & 0x3E00) >> 2);
}

StunClass StunMessage::messageClass() const {
  const std::uint16_t t = be16(data_, 0);
  return static_cast<StunClass>((t >> 4 & 1) | (t >> 7 & 2));
}

StunTransactionId StunMessage::transactionId() const {
  StunTransactionId id{};
  std::copy_n(data_.begin() + 8, id.size(), id.begin());
  return id;
}

StunMessage::Attribute StunMessage::attributeAt(std::size_t i) const {
  if (i >= attributeCount_) return {};
  const Entry& e = entries_[i];
  return {e.type, data_.subspan(e.offset, e.length)};
}

std::optional<std::span<const std::uint8_t>> StunMessage::attribute(std::uint16_t type) const {
  for (std::size_t i = 0; i < attributeCount_; ++i) {
    if (entries_[i].type == type) return data_.subspan(entries_[i].offset, entries_[i].length);
  }
  return std::nullopt;
}

std::optional<std::string_view> StunMessage::username() const {
  const auto v = attribute(StunAttribute::Username);
  if (!v) return std::nullopt;
  return base::asChars(*v);
}

std::optional<std::string_view> StunMessage::software() const {
  const auto v = attribute(StunAttribute::Software);
  if (!v) return std::nullopt;
  return base::asChars(*v);
}

std::optional<StunMessage::Error> StunMessage::errorCode() const {
  const auto v = attribute(StunAttribute::ErrorCode);
  if (!v) return std::nullopt;
  const auto code = static_cast<std::uint16_t>(((*v)[2] & 0x07) * 100 + (*v)[3]);
  return Error{code, base::asChars(v->subspan(4))};
}

std::vector<std::uint16_t> StunMessage::unknownAttributesList() const {
  std::vector<std::uint16_t> types;
  const auto v = attribute(StunAttribute::UnknownAttributes);
  if (!v) return types;
  for (std::size_t i = 0; i + 1 < v->size(); i += 2) types.push_back(be16(*v, i));
  return types;
}

std::optional<TransportAddress> StunMessage::address(StunAttribute type, bool xored) const {
  const auto v = attribute(type);
  if (!v) return std::nullopt;
  // §14.2: X-Port is the port XOR the cookie's top 16 bits; X-Address is the address XOR the
  // cookie (IPv4) or XOR the cookie followed by the transaction id (IPv6).
  std::array<std::uint8_t, 16> mask{};
  if (xored) std::copy_n(data_.begin() + 4, 16, mask.begin());
  const auto port = static_cast<std::uint16_t>(be16(*v, 2) ^ (xored ? kMagicCookie >> 16 : 0));
  if ((*v)[1] == kFamilyIpv4) {
    std::array<std::uint8_t, 4> ip{};
    for (std::size_t i = 0; i < ip.size(); ++i) ip[i] = (*v)[4 + i] ^ mask[i];
    return TransportAddress::ipv4(ip, port);
  }
  std::array<std::uint8_t, 16> ip{};
  for (std::size_t i = 0; i < ip.size(); ++i) ip[i] = (*v)[4 + i] ^ mask[i];
  return TransportAddress::ipv6(ip, port);
}

std::optional<TransportAddress> StunMessage::xorMappedAddress() const {
  return address(StunAttribute::XorMappedAddress, true);
}
std::optional<TransportAddress> StunMessage::mappedAddress() const {
  return address(StunAttribute::MappedAddress, false);
}

std::optional<std::uint32_t> StunMessage::priority() const {
  const auto v = attribute(StunAttribute::Priority);
  if (!v) return std::nullopt;
  return be32(*v, 0);
}

std::optional<std::uint64_t> StunMessage::u64(StunAttribute type) const {
  const auto v = attribute(type);
  if (!v) return std::nullopt;
  return std::uint64_t{be32(*v, 0)} << 32 | be32(*v, 4);
}
std::optional<std::uint64_t> StunMessage::iceControlling() const {
  return u64(StunAttribute::IceControlling);
}
std::optional<std::uint64_t> StunMessage::iceControlled() const {
  return u64(StunAttribute::IceControlled);
}

bool StunMessage::verifyMessageIntegrity(std::span<const std::uint8_t> key) const {
  if (integrityOffset_ == 0) return false;
  // §14.5: the HMAC covers the message up to the attribute, with the header's length set as if
  // MESSAGE-INTEGRITY were the last attribute (so a later FINGERPRINT is not counted).
  std::array<std::uint8_t, kMaxMessageSize> covered{};
  std::copy_n(data_.begin(), integrityOffset_, covered.begin());
  const std::size_t length = integrityOffset_ + kAttributeHeaderSize + kIntegritySize - kHeaderSize;
  covered[2] = static_cast<std::uint8_t>(length >> 8);
  covered[3] = static_cast<std::uint8_t>(length);
  const Hmac expected = hmacSha1(key, std::span<const std::uint8_t>(covered).first(integrityOffset_));
  return CRYPTO_memcmp(expected.data(), data_.data() + integrityOffset_ + kAttributeHeaderSize,
                       kIntegritySize) == 0;
}

bool StunMessage::verifyMessageIntegrity(std::string_view password) const {
  return verifyMessageIntegrity(base::asBytes(password));
}

bool StunMessage::verifyFingerprint() const {
  if (fingerprintOffset_ == 0) return false;
  // §14.7: FINGERPRINT is last, so the header's length already counts it.
  const std::uint32_t expected = crc32(data_.first(fingerprintOffset_)) ^ kFingerprintXor;
  return be32(data_, fingerprintOffset_ + kAttributeHeaderSize) == expected;
}

std::string_view StunMessage::reasonPhrase(std::uint16_t code) {
  switch (code) {
    case 300:
      return "Try Alternate";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthenticated";
    case 403:
      return "Forbidden";
    case 420:
      return "Unknown Attribute";
    case 438:
      return "Stale Nonce";
    case 487:
      return "Role Conflict";  // RFC 8445 §16.2
    case 500:
      return "Server Error";
    default:
      return "";
  }
}

StunTransactionId StunMessage::randomTransactionId() {
  StunTransactionId id{};
  if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) {
    // Only when OpenSSL cannot seed its generator: then at least do not repeat ids.
    const std::uint64_t a = base::randomU64();
    const std::uint32_t b = base::randomU32();
    std::memcpy(id.data(), &a, sizeof a);
    std::memcpy(id.data() + sizeof a, &b, sizeof b);
  }
  return id;
}

// ---- Builder ----

StunMessage::Builder::Builder(std::uint16_t method, StunClass messageClass,
                              const StunTransactionId& transactionId)
    : transactionId_(transactionId) {
  out_.reserve(128);
  base::ByteWriter w(out_);
  w.u16(messageType(method, messageClass));
  w.u16(0);  // patched by finish()
  w.u32(kMagicCookie);
  w.bytes(transactionId);
}

StunMessage::Builder& StunMessage::Builder::attribute(std::uint16_t type,
                                                      std::span<const std::uint8_t> value) {
  const std::size_t size = std::min(value.size(), kMaxBuilderValue);
  base::ByteWriter w(out_);
  w.u16(type);
  w.u16(static_cast<std::uint16_t>(size));
  w.bytes(value.first(size));
  out_.resize(out_.size() + padded(size) - size, 0);  // §14: padding, zero when we write it
  return *this;
}

StunMessage::Builder& StunMessage::Builder::username(std::string_view username) {
  return attribute(raw(StunAttribute::Username), base::asBytes(username));
}

StunMessage::Builder& StunMessage::Builder::software(std::string_view software) {
  return attribute(raw(StunAttribute::Software), base::asBytes(software.substr(0, kMaxTextSize)));
}

StunMessage::Builder& StunMessage::Builder::priority(std::uint32_t priority) {
  const std::uint8_t v[4] = {static_cast<std::uint8_t>(priority >> 24),
                             static_cast<std::uint8_t>(priority >> 16),
                             static_cast<std::uint8_t>(priority >> 8), static_cast<std::uint8_t>(priority)};
  return attribute(raw(StunAttribute::Priority), v);
}

StunMessage::Builder& StunMessage::Builder::useCandidate() {
  return attribute(raw(StunAttribute::UseCandidate), {});
}

StunMessage::Builder& StunMessage::Builder::iceControlling(std::uint64_t tieBreaker) {
  std::vector<std::uint8_t> v;
  base::ByteWriter(v).u64(tieBreaker);
  return attribute(raw(StunAttribute::IceControlling), v);
}

StunMessage::Builder& StunMessage::Builder::iceControlled(std::uint64_t tieBreaker) {
  std::vector<std::uint8_t> v;
  base::ByteWriter(v).u64(tieBreaker);
  return attribute(raw(StunAttribute::IceControlled), v);
}

StunMessage::Builder& StunMessage::Builder::xorMappedAddress(const TransportAddress& address) {
  // §14.2: the inverse of StunMessage::address(); the mask is the cookie then the transaction id.
  std::array<std::uint8_t, 16> mask{};
  for (int i = 0; i < 4; ++i) mask[i] = static_cast<std::uint8_t>(kMagicCookie >> (24 - 8 * i));
  std::copy(transactionId_.begin(), transactionId_.end(), mask.begin() + 4);
  std::vector<std::uint8_t> v;
  base::ByteWriter w(v);
  w.u8(0);
  w.u8(address.isIpv4() ? kFamilyIpv4 : kFamilyIpv6);
  w.u16(static_cast<std::uint16_t>(address.port() ^ (kMagicCookie >> 16)));
  const auto ip = address.addressBytes();
  for (std::size_t i = 0; i < ip.size(); ++i) w.u8(ip[i] ^ mask[i]);
  return attribute(raw(StunAttribute::XorMappedAddress), v);
}

StunMessage::Builder& StunMessage::Builder::errorCode(std::uint16_t code, std::string_view reason) {
  std::vector<std::uint8_t> v;
  base::ByteWriter w(v);
  w.u16(0);
  w.u8(static_cast<std::uint8_t>(code / 100 & 0x07));
  w.u8(static_cast<std::uint8_t>(code % 100));
  w.text(reason.substr(0, kMaxTextSize));
  return attribute(raw(StunAttribute::ErrorCode), v);
}

StunMessage::Builder& StunMessage::Builder::unknownAttributes(std::span<const std::uint16_t> types) {
  std::vector<std::uint8_t> v;
  base::ByteWriter w(v);
  for (const std::uint16_t type : types) w.u16(type);
  return attribute(raw(StunAttribute::UnknownAttributes), v);
}

std::vector<std::uint8_t> StunMessage::Builder::finish(std::span<const std::uint8_t> integrityKey,
                                                       bool fingerprint) {
  base::ByteWriter w(out_);
  const auto setLength = [&](std::size_t trailing) {
    w.patchU16(2, static_cast<std::uint16_t>(out_.size() + trailing - kHeaderSize));
  };
  if (!integrityKey.empty()) {
    // §14.5: the length counts MESSAGE-INTEGRITY itself while the HMAC is computed.
    setLength(kAttributeHeaderSize + kIntegritySize);
    const Hmac mac = hmacSha1(integrityKey, out_);
    attribute(raw(StunAttribute::MessageIntegrity), mac);
  }
  if (fingerprint) {
    setLength(kAttributeHeaderSize + kFingerprintSize);
    const std::uint32_t crc = crc32(out_) ^ kFingerprintXor;
    w.u16(raw(StunAttribute::Fingerprint));
    w.u16(kFingerprintSize);
    w.u32(crc);
  }
  setLength(0);
  return std::move(out_);
}

std::vector<std::uint8_t> StunMessage::Builder::finish(std::string_view password, bool fingerprint) {
  return finish(base::asBytes(password), fingerprint);
}

// ---- Messages ICE sends ----

std::vector<std::uint8_t> StunMessage::bindingRequest(const BindingRequest& request) {
  // The order browsers use (RFC 8445 §7.2.2 names the attributes, not their order).
  Builder b(static_cast<std::uint16_t>(StunMethod::Binding), StunClass::Request, request.transactionId);
  b.username(request.username);
  if (!request.software.empty()) b.software(request.software);
  if (request.iceControlling) b.iceControlling(*request.iceControlling);
  if (request.iceControlled) b.iceControlled(*request.iceControlled);
  if (request.useCandidate) b.useCandidate();
  b.priority(request.priority);
  return b.finish(request.password);
}

std::vector<std::uint8_t> StunMessage::bindingSuccess(const StunTransactionId& transactionId,
                                                      const TransportAddress& mapped,
                                                      std::string_view password) {
  return Builder(static_cast<std::uint16_t>(StunMethod::Binding), StunClass::SuccessResponse, transactionId)
      .xorMappedAddress(mapped)
      .finish(password);
}

std::vector<std::uint8_t> StunMessage::bindingError(const StunTransactionId& transactionId,
                                                    std::uint16_t code, std::string_view password,
                                                    std::span<const std::uint16_t> unknownAttributes) {
  Builder b(static_cast<std::uint16_t>(StunMethod::Binding), StunClass::ErrorResponse, transactionId);
  b.errorCode(code, reasonPhrase(code));
  if (!unknownAttributes.empty()) b.unknownAttributes(unknownAttributes);
  return b.finish(password);
}

}  // namespace ocellus::proto::webrtc
