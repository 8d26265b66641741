#include "proto/webrtc/SrtpKeyDerivation.h"

#include <gtest/gtest.h>

#include <vector>

#include "fakes/Hex.h"

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

using test::hex;

Bytes derive(const Bytes& key, const Bytes& salt, SrtpKeyLabel label, std::size_t size) {
  Bytes out(size, 0xee);
  EXPECT_TRUE(deriveSrtpKey(key, salt, label, out));
  return out;
}

// RFC 3711 Appendix B.3: the session keys of one master key and salt (kdr = 0).
TEST(SrtpKeyDerivationTest, Rfc3711AppendixB3) {
  const Bytes key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
  const Bytes salt = hex("0EC675AD498AFEEBB6960B3AABE6");
  EXPECT_EQ(derive(key, salt, SrtpKeyLabel::RtpEncryption, 16), hex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(derive(key, salt, SrtpKeyLabel::RtpSalt, 14), hex("30CBBC08863D8C85D49DB34A9AE1"));
  // The appendix lists 94 bytes of the authentication keystream; SHA1_80 uses the first 20.
  EXPECT_EQ(derive(key, salt, SrtpKeyLabel::RtpAuthentication, 94),
            hex("CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"));
}

TEST(SrtpKeyDerivationTest, LabelsGiveDistinctKeysAndBadSizesFail) {
  const Bytes key(16, 7);
  const Bytes salt(14, 9);
  EXPECT_NE(derive(key, salt, SrtpKeyLabel::RtpEncryption, 16),
            derive(key, salt, SrtpKeyLabel::RtcpEncryption, 16));
  EXPECT_NE(derive(key, salt, SrtpKeyLabel::RtpSalt, 14), derive(key, salt, SrtpKeyLabel::RtcpSalt, 14));
  // A 12-byte (GCM) salt is the 14-byte one with two zero bytes at its end.
  const Bytes gcmSalt(12, 9);
  Bytes padded = gcmSalt;
  padded.resize(14, 0);
  EXPECT_EQ(derive(key, gcmSalt, SrtpKeyLabel::RtpSalt, 12), derive(key, padded, SrtpKeyLabel::RtpSalt, 12));
  Bytes out(16);
  EXPECT_FALSE(deriveSrtpKey(Bytes(32, 1), salt, SrtpKeyLabel::RtpEncryption, out));
  EXPECT_FALSE(deriveSrtpKey(key, Bytes(15, 1), SrtpKeyLabel::RtpEncryption, out));
}

}  // namespace
}  // namespace ocellus::proto::webrtc
