#include "auth/Secrets.h"

#include <gtest/gtest.h>

#include <set>

namespace ocellus::auth {
namespace {

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(SecretsTest, Sha256AndHmacMatchKnownVectors) {
  // FIPS 180-2 "abc"; RFC 4231 test case 2.
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(toHex(hmacSha256(bytes("Jefe"), "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231 test case 6: a key longer than the block size is hashed first.
  const std::vector<std::uint8_t> longKey(131, 0xaa);
  EXPECT_EQ(toHex(hmacSha256(longKey, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(SecretsTest, ConstantTimeEquals) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(constantTimeEquals("", ""));
}

TEST(SecretsTest, RandomValuesHaveTheirShapes) {
  EXPECT_EQ(randomToken(32).size(), 43u);
  EXPECT_EQ(randomHexString(6).size(), 12u);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string p = randomPassword(16);
    ASSERT_EQ(p.size(), 16u);
    for (char c : p) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << p;
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace ocellus::auth
