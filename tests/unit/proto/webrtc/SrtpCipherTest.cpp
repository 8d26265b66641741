#include "proto/webrtc/SrtpCipher.h"

#include <gtest/gtest.h>

#include <vector>

#include "fakes/Hex.h"

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::hex;

// RFC 3711 Appendix B.2: the AES-CM keystream for session key 2B7E..., salt F0F1...FD, SSRC 0
// and index 0, 65282 blocks long; its first and last three blocks are published. Encrypting
// zeros through the SRTP transform yields the keystream, so this checks §4.1.1's IV too.
TEST(SrtpCipherTest, Rfc3711AppendixB2Keystream) {
  auto cipher =
      SrtpCipher::fromSessionKeys(SrtpProfile::Aes128CmSha1_80, hex("2B7E151628AED2A6ABF7158809CF4F3C"),
                                  hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), Bytes(20, 0));
  ASSERT_TRUE(cipher);
  constexpr std::size_t kHeader = 12;
  constexpr std::size_t kBlocks = 65282;
  Bytes packet(kHeader + kBlocks * 16, 0);
  std::uint8_t tag[SrtpCipher::kCmTagSize];
  ASSERT_TRUE(cipher->sealRtp(packet, kHeader, 0, 0, tag));
  const Bytes first(packet.begin() + kHeader, packet.begin() + kHeader + 48);
  const Bytes last(packet.end() - 48, packet.end());
  EXPECT_EQ(first, hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB"
                       "41E95B3BB0A2E8DD477901E4FCA894C0"));
  EXPECT_EQ(last, hex("EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE"
                      "6A2CC3787889374FBEB4C81B17BA6C44"));
}

// RFC 7714 §16 and §17: AEAD_AES_128_GCM with session key 00..0f and salt "Quid pro quo".
const Bytes kGcmKey = hex("000102030405060708090a0b0c0d0e0f");
const Bytes kGcmSalt = hex("517569642070726f2071756f");

SrtpCipher gcmCipher() {
  return SrtpCipher::fromSessionKeys(SrtpProfile::AeadAes128Gcm, kGcmKey, kGcmSalt, {}).value();
}

// §16.1.1 (encryption) and §16.1.2 (decryption): SSRC 5501a0b2, ROC 0, SEQ f17b.
TEST(SrtpCipherTest, Rfc7714Section16_1GcmRtp) {
  const Bytes plain =
      hex("8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973"
          "20646976 69736120 696e2070 61727465 73207472 6573");
  const Bytes wire =
      hex("8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca"
          "be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1"
          "6a9152cf 765ee439 0cce");
  auto cipher = gcmCipher();
  Bytes packet = plain;
  packet.resize(plain.size() + SrtpCipher::kGcmTagSize);
  ASSERT_TRUE(cipher.sealRtp(std::span(packet).first(plain.size()), 12, 0x5501a0b2, 0xf17b,
                             packet.data() + plain.size()));
  EXPECT_EQ(packet, wire);

  ASSERT_TRUE(cipher.openRtp(std::span(packet).first(plain.size()), 12, 0x5501a0b2, 0xf17b,
                             packet.data() + plain.size()));
  EXPECT_EQ(Bytes(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(plain.size())), plain);

  // Any other ROC, or a flipped bit in the header (associated data), fails the tag.
  for (const auto& [index, flip] : {std::pair<std::uint64_t, std::size_t>{0x1f17b, 0}, {0xf17b, 3}}) {
    Bytes bad = wire;
    bad[flip] ^= flip == 0 ? 0 : 1;
    EXPECT_FALSE(
        cipher.openRtp(std::span(bad).first(plain.size()), 12, 0x5501a0b2, index, bad.data() + plain.size()))
        << index << " " << flip;
  }
}

// §17.1: SRTCP encryption, SSRC "Mars", SRTCP index 5d4; §17.1's decryption is its inverse.
TEST(SrtpCipherTest, Rfc7714Section17_1GcmRtcp) {
  const Bytes plain =
      hex("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930"
          "4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef");
  const Bytes wire =
      hex("81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7"
          "6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458"
          "96cf4d2f c5abf872 45d9eade 800005d4");
  auto cipher = gcmCipher();
  Bytes packet = plain;
  packet.resize(plain.size() + cipher.rtcpTrailerSize());
  ASSERT_TRUE(cipher.sealRtcp(std::span(packet).first(plain.size()), 0x4d617273, 0x5d4,
                              packet.data() + plain.size()));
  EXPECT_EQ(packet, wire);
  EXPECT_EQ(cipher.readIndexWord(packet.data() + plain.size()), 0x800005d4u);

  ASSERT_TRUE(
      cipher.openRtcp(std::span(packet).first(plain.size()), 0x4d617273, packet.data() + plain.size()));
  EXPECT_EQ(Bytes(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(plain.size())), plain);

  // The index word is associated data: another index fails, and so does E = 0.
  for (const std::uint8_t first : {std::uint8_t{0x80}, std::uint8_t{0x00}}) {
    Bytes bad = wire;
    bad[bad.size() - 4] = first;
    bad[bad.size() - 1] ^= first == 0x80 ? 1 : 0;
    EXPECT_FALSE(cipher.openRtcp(std::span(bad).first(plain.size()), 0x4d617273, bad.data() + plain.size()));
  }
}

TEST(SrtpCipherTest, CmRtcpTrailerIsIndexThenTagAndBothAreChecked) {
  auto cipher = SrtpCipher::derive(SrtpProfile::Aes128CmSha1_80, Bytes(16, 3), Bytes(14, 4), true).value();
  const Bytes plain = hex("80c90001 01020304");
  Bytes packet = plain;
  packet.resize(plain.size() + cipher.rtcpTrailerSize());
  ASSERT_TRUE(
      cipher.sealRtcp(std::span(packet).first(plain.size()), 0x01020304, 7, packet.data() + plain.size()));
  EXPECT_EQ(Bytes(packet.begin() + 8, packet.begin() + 12), hex("80000007"));
  for (std::size_t at = 0; at < packet.size(); ++at) {
    Bytes bad = packet;
    bad[at] ^= 0x01;
    EXPECT_FALSE(cipher.openRtcp(std::span(bad).first(plain.size()), 0x01020304, bad.data() + plain.size()))
        << at;
  }
  ASSERT_TRUE(
      cipher.openRtcp(std::span(packet).first(plain.size()), 0x01020304, packet.data() + plain.size()));
  EXPECT_EQ(Bytes(packet.begin(), packet.begin() + 8), plain);
}

TEST(SrtpCipherTest, WrongSessionKeySizesAreRefused) {
  EXPECT_FALSE(SrtpCipher::fromSessionKeys(SrtpProfile::AeadAes128Gcm, kGcmKey, Bytes(14, 0), {}));
  EXPECT_FALSE(
      SrtpCipher::fromSessionKeys(SrtpProfile::Aes128CmSha1_80, kGcmKey, Bytes(14, 0), Bytes(16, 0)));
  EXPECT_FALSE(SrtpCipher::derive(SrtpProfile::AeadAes128Gcm, kGcmKey, Bytes(14, 0), false));
}

}  // namespace
}  // namespace ocellus::proto::webrtc
