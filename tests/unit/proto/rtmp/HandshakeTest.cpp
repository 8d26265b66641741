#include "proto/rtmp/Handshake.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <vector>

#include "base/ByteReader.h"
#include "unit/TestData.h"

namespace ocellus::proto::rtmp {
namespace {

using Bytes = std::vector<std::uint8_t>;
constexpr std::size_t kPacket = Handshake::kPacketSize;

// C0 + C1 with deterministic "random" bytes and the given version field.
Bytes c0c1(std::array<std::uint8_t, 4> version, Handshake::Scheme scheme) {
  Bytes b(1 + kPacket);
  b[0] = 3;
  for (std::size_t i = 9; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i * 7 + 3);
  std::copy(version.begin(), version.end(), b.begin() + 5);
  Handshake::imprintDigest(std::span<std::uint8_t, kPacket>(b.data() + 1, kPacket), scheme, Handshake::playerKey(false));
  return b;
}

std::span<const std::uint8_t, kPacket> packet(const Bytes& b, std::size_t at) {
  return std::span<const std::uint8_t, kPacket>(b.data() + at, kPacket);
}

std::array<std::uint8_t, 32> hmac256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  std::array<std::uint8_t, 32> out{};
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &n);
  return out;
}

TEST(HandshakeTest, WellKnownKeys) {
  EXPECT_EQ(Handshake::playerKey(false).size(), 30u);
  EXPECT_EQ(Handshake::playerKey(true).size(), 62u);
  EXPECT_EQ(Handshake::serverKey(false).size(), 36u);
  EXPECT_EQ(Handshake::serverKey(true).size(), 68u);
  EXPECT_EQ(base::asChars(Handshake::serverKey(false)), "Genuine Adobe Flash Media Server 001");
  EXPECT_EQ(Handshake::serverKey(true)[36], 0xF0);
  EXPECT_EQ(Handshake::playerKey(true).back(), 0xAE);
}

TEST(HandshakeTest, PlainC1GetsEchoS2) {
  const Bytes in = c0c1({0, 0, 0, 0}, Handshake::Scheme::Plain);
  Handshake h;
  Bytes out;
  auto used = h.feed(in, out);
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(*used, in.size());
  EXPECT_EQ(h.state(), Handshake::State::WaitC2);
  EXPECT_EQ(h.scheme(), Handshake::Scheme::Plain);
  ASSERT_EQ(out.size(), 1 + 2 * kPacket);
  EXPECT_EQ(out[0], 3);
  EXPECT_TRUE(std::equal(in.begin() + 1, in.end(), out.begin() + 1 + kPacket));  // S2 = C1
  EXPECT_EQ(out[5], 0);                                                           // S1 version zero
}

void expectDigestAnswer(Handshake::Scheme scheme) {
  const Bytes in = c0c1({9, 0, 124, 2}, scheme);
  ASSERT_EQ(Handshake::findDigest(packet(in, 1), Handshake::playerKey(false)), scheme);
  Handshake h;
  Bytes out;
  ASSERT_TRUE(h.feed(in, out).ok());
  EXPECT_EQ(h.scheme(), scheme);
  ASSERT_EQ(out.size(), 1 + 2 * kPacket);
  // S1: a version of at least 3 (FFmpeg checks digests only then) and a digest under the
  // FMS key at the client's scheme.
  EXPECT_GE(out[5], 3);
  EXPECT_EQ(Handshake::findDigest(packet(out, 1), Handshake::serverKey(false)), scheme);
  // S2: the last 32 bytes sign the rest under HMAC(full FMS key, C1 digest), as a player checks.
  const std::size_t offset = Handshake::digestOffset(packet(in, 1), scheme);
  const auto key = hmac256(Handshake::serverKey(true), std::span<const std::uint8_t>(in).subspan(1 + offset, 32));
  const auto s2 = packet(out, 1 + kPacket);
  const auto signature = hmac256(key, s2.first(kPacket - 32));
  EXPECT_TRUE(std::equal(signature.begin(), signature.end(), s2.end() - 32));
}

TEST(HandshakeTest, DigestC1Scheme0GetsDigestAnswer) {
  expectDigestAnswer(Handshake::Scheme::Digest0);
}

TEST(HandshakeTest, DigestC1Scheme1GetsDigestAnswer) {
  expectDigestAnswer(Handshake::Scheme::Digest1);
}

TEST(HandshakeTest, VersionedC1WithoutValidDigestIsAnsweredPlainly) {
  Bytes in = c0c1({9, 0, 124, 2}, Handshake::Scheme::Digest0);
  const std::size_t offset = Handshake::digestOffset(packet(in, 1), Handshake::Scheme::Digest0);
  in[1 + offset] ^= 0xFF;  // spoil the digest
  Handshake h;
  Bytes out;
  ASSERT_TRUE(h.feed(in, out).ok());
  EXPECT_EQ(h.scheme(), Handshake::Scheme::Plain);
  EXPECT_TRUE(std::equal(in.begin() + 1, in.end(), out.begin() + 1 + kPacket));
}

TEST(HandshakeTest, ByteByByteThenC2AndLeftover) {
  Bytes in = c0c1({0, 0, 0, 0}, Handshake::Scheme::Plain);
  in.resize(in.size() + kPacket, 0x55);  // C2
  in.push_back(0x03);                    // the first byte of the chunk stream
  Handshake h;
  Bytes out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < in.size() && !h.done(); ++i) {
    auto n = h.feed(std::span<const std::uint8_t>(in).subspan(i, 1), out);
    ASSERT_TRUE(n.ok());
    used += *n;
    if (i < 1 + kPacket - 1) {
      EXPECT_TRUE(out.empty());
    }
  }
  EXPECT_TRUE(h.done());
  EXPECT_EQ(used, 1 + 2 * kPacket);
  EXPECT_EQ(out.size(), 1 + 2 * kPacket);
  auto n = h.feed(std::span<const std::uint8_t>(in).subspan(used), out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);  // the chunk stream is not the handshake's
}

TEST(HandshakeTest, C0C1AndC2InOneReadLeaveTheRest) {
  Bytes in = c0c1({0, 0, 0, 0}, Handshake::Scheme::Plain);
  in.resize(in.size() + kPacket + 10, 0x11);
  Handshake h;
  Bytes out;
  auto n = h.feed(in, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1 + 2 * kPacket);
  EXPECT_TRUE(h.done());
}

TEST(HandshakeTest, OtherVersionsAreRefused) {
  for (const std::uint8_t version : {0, 6, 0x47}) {
    Handshake h;
    Bytes out;
    const Bytes in{version};
    auto n = h.feed(in, out);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error().code, base::ErrorCode::Unsupported);
    EXPECT_NE(n.error().message.find("version"), std::string::npos);
    EXPECT_TRUE(out.empty());
  }
}

TEST(HandshakeTest, TruncatedInputWaits) {
  const Bytes in = c0c1({0, 0, 0, 0}, Handshake::Scheme::Plain);
  Handshake h;
  Bytes out;
  ASSERT_TRUE(h.feed(std::span<const std::uint8_t>(in).first(1000), out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(h.state(), Handshake::State::WaitC0C1);
}

TEST(HandshakeTest, FfmpegC1CarriesADigestAndGetsOne) {
  const Bytes capture = test::readTestData("rtmp/ffmpeg_publish.bin");
  ASSERT_GE(capture.size(), 1 + 2 * kPacket);
  Handshake h;
  Bytes out;
  auto n = h.feed(capture, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1 + 2 * kPacket);
  EXPECT_EQ(h.scheme(), Handshake::Scheme::Digest0);  // FFmpeg's rtmp client, unencrypted
  EXPECT_EQ(Handshake::findDigest(packet(out, 1), Handshake::serverKey(false)), Handshake::Scheme::Digest0);
}

}  // namespace
}  // namespace ocellus::proto::rtmp
