#include "auth/Jwt.h"

#include <gtest/gtest.h>

#include "auth/FlatJson.h"
#include "auth/Secrets.h"
#include "base/Base64.h"

namespace ocellus::auth {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

JwtClaims sampleClaims() {
  return JwtClaims{42, "alice", "operator", kNow, kNow + 900, "jti-1"};
}

std::string b64(std::string_view s) {
  return base::base64UrlEncode({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

// A token with any header and payload, signed with `key` (or with an empty signature).
std::string forge(std::string_view header, std::string_view payload, const JwtKey* key) {
  std::string out = b64(header) + "." + b64(payload);
  const std::string sig = key ? base::base64UrlEncode(hmacSha256(key->secret, out)) : "";
  return out + "." + sig;
}

std::string payloadOf(const JwtClaims& c) {
  FlatJson p;
  p.set("sub", std::to_string(c.userId));
  p.set("name", c.username);
  p.set("role", c.role);
  p.set("iat", c.issuedAt);
  p.set("exp", c.expiresAt);
  p.set("jti", c.jwtId);
  return p.serialize();
}

class JwtTest : public ::testing::Test {
 protected:
  JwtKeySet keys{JwtKey::generate(), std::nullopt};
};

TEST_F(JwtTest, RoundTrip) {
  const std::string token = Jwt::encode(sampleClaims(), keys.current);
  auto claims = Jwt::verify(token, keys, kNow + 10);
  ASSERT_TRUE(claims) << claims.error().describe();
  EXPECT_EQ(*claims, sampleClaims());
  // The header names the algorithm and key.
  auto header = FlatJson::parse([&] {
    auto raw = base::base64UrlDecode(token.substr(0, token.find('.')));
    return std::string(raw->begin(), raw->end());
  }());
  ASSERT_TRUE(header);
  EXPECT_EQ(header->string("alg"), "HS256");
  EXPECT_EQ(header->string("kid"), keys.current.kid);
}

TEST_F(JwtTest, TamperedSignatureOrPayloadFails) {
  std::string token = Jwt::encode(sampleClaims(), keys.current);
  std::string badSig = token;
  badSig.back() = badSig.back() == 'A' ? 'B' : 'A';
  auto r = Jwt::verify(badSig, keys, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, base::ErrorCode::Unauthorized);

  // Same signature over a payload that makes alice an admin.
  JwtClaims admin = sampleClaims();
  admin.role = "admin";
  const std::string other = Jwt::encode(admin, keys.current);
  const std::string spliced = other.substr(0, other.rfind('.')) + token.substr(token.rfind('.'));
  EXPECT_FALSE(Jwt::verify(spliced, keys, kNow));
}

TEST_F(JwtTest, AlgNoneAndOtherAlgorithmsAreRefused) {
  const std::string payload = payloadOf(sampleClaims());
  const std::string hdrNone = R"({"alg":"none","typ":"JWT","kid":")" + keys.current.kid + "\"}";
  EXPECT_FALSE(Jwt::verify(forge(hdrNone, payload, nullptr), keys, kNow));
  EXPECT_FALSE(Jwt::verify(forge(hdrNone, payload, &keys.current), keys, kNow));
  for (const char* alg : {"HS512", "RS256", "hs256", "HS256 "}) {
    const std::string hdr = std::string(R"({"alg":")") + alg + R"(","kid":")" + keys.current.kid + "\"}";
    EXPECT_FALSE(Jwt::verify(forge(hdr, payload, &keys.current), keys, kNow)) << alg;
  }
  // The correct header signed the same way passes: the forge helper is right.
  const std::string good = R"({"alg":"HS256","kid":")" + keys.current.kid + "\"}";
  EXPECT_TRUE(Jwt::verify(forge(good, payload, &keys.current), keys, kNow));
  // Headers that ask for more than HS256 are refused.
  const std::string crit = R"({"alg":"HS256","kid":")" + keys.current.kid + R"(","crit":"exp"})";
  EXPECT_FALSE(Jwt::verify(forge(crit, payload, &keys.current), keys, kNow));
}

TEST_F(JwtTest, ExpiredIsTimeoutNotUnauthorized) {
  const std::string token = Jwt::encode(sampleClaims(), keys.current);
  EXPECT_TRUE(Jwt::verify(token, keys, kNow + 899));
  auto r = Jwt::verify(token, keys, kNow + 900);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, base::ErrorCode::Timeout);
  // An expired token with a bad signature is just invalid.
  std::string bad = token;
  bad.back() = bad.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Jwt::verify(bad, keys, kNow + 1000).error().code, base::ErrorCode::Unauthorized);
}

TEST_F(JwtTest, IssuedInTheFutureBeyondSkewFails) {
  JwtClaims c = sampleClaims();
  c.issuedAt = kNow + Jwt::kMaxClockSkewSeconds + 5;
  c.expiresAt = c.issuedAt + 900;
  EXPECT_FALSE(Jwt::verify(Jwt::encode(c, keys.current), keys, kNow));
  c.issuedAt = kNow + 30;
  EXPECT_TRUE(Jwt::verify(Jwt::encode(c, keys.current), keys, kNow));
}

TEST_F(JwtTest, WrongOrUnknownKidFails) {
  const JwtKey other = JwtKey::generate();
  EXPECT_FALSE(Jwt::verify(Jwt::encode(sampleClaims(), other), keys, kNow));
  // A known kid with another key's signature.
  JwtKey impostor = other;
  impostor.kid = keys.current.kid;
  EXPECT_FALSE(Jwt::verify(Jwt::encode(sampleClaims(), impostor), keys, kNow));
}

TEST_F(JwtTest, RotationKeepsPreviousKeyTokensValid) {
  const std::string before = Jwt::encode(sampleClaims(), keys.current);
  JwtKeySet rotated{JwtKey::generate(), keys.current};
  EXPECT_TRUE(Jwt::verify(before, rotated, kNow));
  EXPECT_TRUE(Jwt::verify(Jwt::encode(sampleClaims(), rotated.current), rotated, kNow));
  JwtKeySet twice{JwtKey::generate(), rotated.current};
  EXPECT_FALSE(Jwt::verify(before, twice, kNow));
}

TEST_F(JwtTest, MalformedInputFails) {
  const std::string token = Jwt::encode(sampleClaims(), keys.current);
  for (const std::string& bad : {
           std::string(),
           std::string("."),
           std::string(".."),
           std::string("a.b"),
           token + ".x",
           token + "=",
           "." + token.substr(token.find('.')),
           std::string(Jwt::kMaxTokenLength + 1, 'a'),
       }) {
    EXPECT_FALSE(Jwt::verify(bad, keys, kNow)) << bad;
  }
  // Missing or mistyped claims, even when properly signed.
  const std::string hdr = R"({"alg":"HS256","kid":")" + keys.current.kid + "\"}";
  for (const char* payload : {
           R"({"sub":"42","name":"a","role":"r","iat":1,"jti":"j"})",
           R"({"sub":42,"name":"a","role":"r","iat":1700000000,"exp":1800000000,"jti":"j"})",
           R"({"sub":"042","name":"a","role":"r","iat":1700000000,"exp":1800000000,"jti":"j"})",
           R"({"sub":"42","name":"a","role":"r","iat":1700000000,"exp":1600000000,"jti":"j"})",
           R"({"sub":"42","name":"a","role":"r","iat":1700000000,"exp":"1800000000","jti":"j"})",
       }) {
    EXPECT_FALSE(Jwt::verify(forge(hdr, payload, &keys.current), keys, kNow)) << payload;
  }
}

}  // namespace
}  // namespace ocellus::auth
