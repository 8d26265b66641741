#include "auth/TurnCredentials.h"

#include <gtest/gtest.h>

namespace ocellus::auth {
namespace {

TEST(TurnCredentialsTest, UsernameCarriesTheExpiryAndThePasswordIsTheHmac) {
  // Expected password computed independently: Python's hmac + base64 over the same inputs.
  const auto c = TurnCredential::make("north", "ocellus", 1700000000);
  EXPECT_EQ(c.username, "1700000000:ocellus");
  EXPECT_EQ(c.password, "gf3tb2FrJJlUpg6Ue0GyubyK1RM=");
  EXPECT_NE(TurnCredential::make("south", "ocellus", 1700000000).password, c.password);
}

}  // namespace
}  // namespace ocellus::auth
