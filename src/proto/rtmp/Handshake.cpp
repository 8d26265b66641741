#include "proto/rtmp/Handshake.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <string>

namespace ocellus::proto::rtmp {
namespace {

// "Genuine Adobe Flash Player 001" and "Genuine Adobe Flash Media Server 001", each followed
// by the same 32 bytes: the constants every RTMP implementation of the digest handshake uses.
constexpr std::uint8_t kKeyTail[32] = {0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0,
                                       0xD1, 0x02, 0x9E, 0x7E, 0x57, 0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80,
                                       0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE};
constexpr std::string_view kPlayerText = "Genuine Adobe Flash Player 001";
constexpr std::string_view kServerText = "Genuine Adobe Flash Media Server 001";

template <std::size_t N>
constexpr std::array<std::uint8_t, N> makeKey(std::string_view text) {
  std::array<std::uint8_t, N> key{};
  for (std::size_t i = 0; i < text.size(); ++i) key[i] = static_cast<std::uint8_t>(text[i]);
  for (std::size_t i = 0; i < 32; ++i) key[text.size() + i] = kKeyTail[i];
  return key;
}
constexpr auto kPlayerKey = makeKey<30 + 32>(kPlayerText);
constexpr auto kServerKey = makeKey<36 + 32>(kServerText);

// Our S1 version field: FMS 4.5.0.1. FFmpeg checks S1 digests only when its first byte is >= 3.
constexpr std::uint8_t kServerVersion[4] = {0x04, 0x05, 0x00, 0x01};
// The digest region per scheme: 4 offset bytes at `base`, then 728 candidate positions.
constexpr std::size_t kOffsetRange = 728;

std::size_t schemeBase(Handshake::Scheme scheme) {
  return scheme == Handshake::Scheme::Digest1 ? 772 : 8;
}

std::array<std::uint8_t, Handshake::kDigestSize> hmac(std::span<const std::uint8_t> key,
                                                      std::span<const std::uint8_t> a,
                                                      std::span<const std::uint8_t> b = {}) {
  // The two parts are the block around the digest: at most one packet together.
  std::array<std::uint8_t, Handshake::kPacketSize> joined{};
  const std::size_t size = std::min(a.size() + b.size(), joined.size());
  std::copy_n(a.begin(), std::min(a.size(), size), joined.begin());
  if (size > a.size()) std::copy_n(b.begin(), size - a.size(), joined.begin() + static_cast<std::ptrdiff_t>(a.size()));
  std::array<std::uint8_t, Handshake::kDigestSize> out{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), joined.data(), size, out.data(), &length);
  return out;
}

void randomFill(std::span<std::uint8_t> bytes) {
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // Not a secret: the handshake random only has to differ between connections.
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 131 + 7);
  }
}

}  // namespace

std::span<const std::uint8_t> Handshake::playerKey(bool full) {
  return std::span<const std::uint8_t>(kPlayerKey).first(full ? kPlayerKey.size() : kPlayerText.size());
}
std::span<const std::uint8_t> Handshake::serverKey(bool full) {
  return std::span<const std::uint8_t>(kServerKey).first(full ? kServerKey.size() : kServerText.size());
}

std::size_t Handshake::digestOffset(std::span<const std::uint8_t, kPacketSize> block, Scheme scheme) {
  const std::size_t base = schemeBase(scheme);
  const std::size_t sum = std::size_t{block[base]} + block[base + 1] + block[base + 2] + block[base + 3];
  return sum % kOffsetRange + base + 4;
}

std::array<std::uint8_t, Handshake::kDigestSize> Handshake::computeDigest(
    std::span<const std::uint8_t, kPacketSize> block, std::size_t offset, std::span<const std::uint8_t> key) {
  return hmac(key, block.first(offset), block.subspan(offset + kDigestSize));
}

void Handshake::imprintDigest(std::span<std::uint8_t, kPacketSize> block, Scheme scheme,
                              std::span<const std::uint8_t> key) {
  if (scheme == Scheme::Plain) return;
  const std::size_t offset = digestOffset(block, scheme);
  const auto digest = computeDigest(block, offset, key);
  std::copy(digest.begin(), digest.end(), block.begin() + static_cast<std::ptrdiff_t>(offset));
}

Handshake::Scheme Handshake::findDigest(std::span<const std::uint8_t, kPacketSize> block,
                                        std::span<const std::uint8_t> key) {
  for (const Scheme scheme : {Scheme::Digest1, Scheme::Digest0}) {
    const std::size_t offset = digestOffset(block, scheme);
    const auto digest = computeDigest(block, offset, key);
    if (CRYPTO_memcmp(digest.data(), block.data() + offset, kDigestSize) == 0) return scheme;
  }
  return Scheme::Plain;
}

base::Result<std::size_t> Handshake::feed(std::span<const std::uint8_t> input, std::vector<std::uint8_t>& out) {
  std::size_t used = 0;
  if (state_ == State::WaitC0C1) {
    const std::size_t take = std::min(input.size(), c0c1_.size() - have_);
    std::copy_n(input.begin(), take, c0c1_.begin() + static_cast<std::ptrdiff_t>(have_));
    have_ += take;
    used += take;
    if (have_ >= 1 && c0c1_[0] != kVersion) {
      return base::makeError(base::ErrorCode::Unsupported,
                             "rtmp handshake: C0 asks for version " + std::to_string(c0c1_[0]) +
                                 ", only 3 is spoken (6 is RTMPE, not supported)");
    }
    if (have_ < c0c1_.size()) return used;
    answer(out);
    state_ = State::WaitC2;
    have_ = 0;
  }
  if (state_ == State::WaitC2) {
    const std::size_t take = std::min(input.size() - used, kPacketSize - have_);
    have_ += take;
    used += take;
    if (have_ == kPacketSize) state_ = State::Done;
  }
  return used;
}

void Handshake::answer(std::vector<std::uint8_t>& out) {
  const std::span<const std::uint8_t, kPacketSize> c1(c0c1_.data() + 1, kPacketSize);
  // A C1 whose version field is zero is plain by definition; otherwise look for a digest.
  const bool versioned = c1[4] != 0 || c1[5] != 0 || c1[6] != 0 || c1[7] != 0;
  scheme_ = versioned ? findDigest(c1, playerKey(false)) : Scheme::Plain;

  const std::size_t start = out.size();
  out.resize(start + 1 + 2 * kPacketSize);
  out[start] = kVersion;
  const std::span<std::uint8_t, kPacketSize> s1(out.data() + start + 1, kPacketSize);
  const std::span<std::uint8_t, kPacketSize> s2(out.data() + start + 1 + kPacketSize, kPacketSize);
  std::fill_n(s1.begin(), 8, std::uint8_t{0});  // time 0
  randomFill(s1.subspan(8));
  if (scheme_ == Scheme::Plain) {
    std::copy(c1.begin(), c1.end(), s2.begin());
    return;
  }
  std::copy(std::begin(kServerVersion), std::end(kServerVersion), s1.begin() + 4);
  imprintDigest(s1, scheme_, serverKey(false));
  // S2: random, then HMAC-SHA256 of that under a key derived from the client's digest.
  randomFill(s2);
  const std::size_t clientOffset = digestOffset(c1, scheme_);
  const auto key = hmac(serverKey(true), c1.subspan(clientOffset, kDigestSize));
  const auto signature = hmac(key, s2.first(kPacketSize - kDigestSize));
  std::copy(signature.begin(), signature.end(), s2.end() - kDigestSize);
}

}  // namespace ocellus::proto::rtmp
