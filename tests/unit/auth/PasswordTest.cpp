#include "auth/Password.h"

#include <gtest/gtest.h>

#include "auth/Secrets.h"

namespace ocellus::auth {
namespace {

TEST(PasswordTest, HashVerifiesOnlyTheSamePassword) {
  auto hash = Password::hash("correct horse battery", Password::minimum());
  ASSERT_TRUE(hash) << hash.error().describe();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(Password::verify(*hash, "correct horse battery"));
  EXPECT_FALSE(Password::verify(*hash, "correct horse batterY"));
  EXPECT_FALSE(Password::verify(*hash, ""));
}

TEST(PasswordTest, SaltMakesEveryHashDifferent) {
  auto a = Password::hash("same password", Password::minimum());
  auto b = Password::hash("same password", Password::minimum());
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(Password::verify(*b, "same password"));
}

TEST(PasswordTest, GarbageHashesNeverVerify) {
  EXPECT_FALSE(Password::verify("", "x"));
  EXPECT_FALSE(Password::verify("not a hash", "not a hash"));
  EXPECT_FALSE(Password::verify(std::string(500, 'a'), "a"));
}

TEST(PasswordTest, OverlongPasswordsAreRefusedBeforeHashing) {
  const std::string longPassword(Password::kMaxLength + 1, 'x');
  auto hash = Password::hash(longPassword, Password::minimum());
  ASSERT_FALSE(hash);
  EXPECT_EQ(hash.error().code, base::ErrorCode::InvalidArgument);
}

TEST(PasswordTest, NeedsRehashWhenTheLimitsChange) {
  auto hash = Password::hash("password1", Password::minimum());
  ASSERT_TRUE(hash);
  EXPECT_FALSE(Password::needsRehash(*hash, Password::minimum()));
  EXPECT_TRUE(Password::needsRehash(*hash, Password::interactive()));
  EXPECT_TRUE(Password::needsRehash("garbage", Password::minimum()));
}

TEST(PasswordTest, DigestHa1MatchesRfc2617Example) {
  // RFC 2617 §3.5: H(A1) for Mufasa / testrealm@host.com / "Circle Of Life".
  const auto ha1 = Password::digestHa1("Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(ha1.md5, "939e7578ed9e3c518a452acee763bce9");
  EXPECT_EQ(ha1.sha256.size(), 64u);
}

TEST(PasswordTest, DigestHa1GivesTheResponsesOfRfc7616Example) {
  // RFC 7616 §3.9.1: the published responses for both algorithms follow from our H(A1).
  const auto ha1 = Password::digestHa1("Mufasa", "http-auth@example.org", "Circle of Life");
  const std::string nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  const std::string cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  const auto response = [&](auto hashFn, const std::string& a1) {
    const std::string ha2 = hashFn("GET:/dir/index.html");
    return hashFn(a1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2);
  };
  EXPECT_EQ(response(md5Hex, ha1.md5), "8ca523f5e9506fed4657c9700eebdbec");
  EXPECT_EQ(response(sha256Hex, ha1.sha256),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

}  // namespace
}  // namespace ocellus::auth
