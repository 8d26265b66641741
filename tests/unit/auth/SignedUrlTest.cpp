#include "auth/SignedUrl.h"

#include <gtest/gtest.h>

namespace ocellus::auth {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

TEST(SignedUrlTest, SignAndVerify) {
  const JwtKeySet keys{JwtKey::generate(), std::nullopt};
  const SignedUrl signer = SignedUrl::fromJwtKeys(keys);
  const std::string query = signer.sign("/files/recordings/cam1.mp4", kNow + 900);
  EXPECT_EQ(query.rfind("expires=1700000900&sig=", 0), 0u) << query;
  EXPECT_TRUE(signer.verifyQuery("/files/recordings/cam1.mp4", query, kNow));
  EXPECT_TRUE(signer.verifyQuery("/files/recordings/cam1.mp4", "x=1&" + query + "&y", kNow + 900));
  // Another path, another expiry, another key: refused.
  EXPECT_EQ(signer.verifyQuery("/files/recordings/cam2.mp4", query, kNow).error().code,
            base::ErrorCode::Unauthorized);
  const std::string sig = query.substr(query.find("sig="));
  EXPECT_FALSE(signer.verifyQuery("/files/recordings/cam1.mp4", "expires=1700009999&" + sig, kNow));
  const SignedUrl stranger = SignedUrl::fromJwtKeys({JwtKey::generate(), std::nullopt});
  EXPECT_FALSE(stranger.verifyQuery("/files/recordings/cam1.mp4", query, kNow));
}

TEST(SignedUrlTest, ExpiredIsTimeout) {
  const SignedUrl signer = SignedUrl::fromJwtKeys({JwtKey::generate(), std::nullopt});
  const std::string query = signer.sign("/p", kNow);
  EXPECT_TRUE(signer.verifyQuery("/p", query, kNow));
  auto r = signer.verifyQuery("/p", query, kNow + 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, base::ErrorCode::Timeout);
}

TEST(SignedUrlTest, MalformedQueriesAreRefused) {
  const SignedUrl signer = SignedUrl::fromJwtKeys({JwtKey::generate(), std::nullopt});
  const std::string query = signer.sign("/p", kNow + 60);
  const std::string sig = query.substr(query.find("sig=") + 4);
  for (const std::string& bad : {
           std::string(),
           std::string("expires=1700000060"),
           "sig=" + sig,
           "expires=&sig=" + sig,
           "expires=01700000060&sig=" + sig,
           "expires=-1&sig=" + sig,
           "expires=1700000060&sig=" + sig + "A",
           query + "&sig=" + sig,
           query + "&expires=1700000060",
           std::string(SignedUrl::kMaxQueryLength + 1, 'a'),
       }) {
    EXPECT_FALSE(signer.verifyQuery("/p", bad, kNow)) << bad;
  }
}

TEST(SignedUrlTest, RotatedKeysStillVerify) {
  const JwtKeySet before{JwtKey::generate(), std::nullopt};
  const std::string query = SignedUrl::fromJwtKeys(before).sign("/p", kNow + 60);
  const JwtKeySet after{JwtKey::generate(), before.current};
  EXPECT_TRUE(SignedUrl::fromJwtKeys(after).verifyQuery("/p", query, kNow));
  EXPECT_FALSE(SignedUrl::fromJwtKeys({JwtKey::generate(), after.current}).verifyQuery("/p", query, kNow));
}

}  // namespace
}  // namespace ocellus::auth
