#include "auth/ApiTokenString.h"

#include <gtest/gtest.h>

namespace ocellus::auth {
namespace {

TEST(ApiTokenStringTest, FormatAndParse) {
  const std::string id = ApiTokenString::newId();
  const std::string secret = ApiTokenString::newSecret();
  EXPECT_TRUE(ApiTokenString::isTokenId(id)) << id;
  EXPECT_EQ(secret.size(), 43u);
  const std::string text = ApiTokenString::format(id, secret);
  auto parsed = ApiTokenString::parse(text);
  ASSERT_TRUE(parsed) << text;
  EXPECT_EQ(parsed->id, id);
  EXPECT_EQ(parsed->secret, secret);
}

TEST(ApiTokenStringTest, SecretsMayContainUnderscores) {
  auto parsed = ApiTokenString::parse("oc_tok_0123456789ab__abc_def-ghi_jkl_mno_pqr_stu_vwx_yz0_1");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->id, "tok_0123456789ab");
  EXPECT_EQ(parsed->secret, "_abc_def-ghi_jkl_mno_pqr_stu_vwx_yz0_1");
}

TEST(ApiTokenStringTest, RefusesOtherShapes) {
  const std::string secret(43, 'A');
  for (const std::string& bad : {
           std::string(),
           std::string("oc_"),
           "tok_0123456789ab_" + secret,
           "oc_tok_0123456789ab" + secret,
           "oc_tok_0123456789AB_" + secret,
           "oc_tok_0123456789a_" + secret,
           std::string("oc_tok_0123456789ab_short"),
           "oc_tok_0123456789ab_" + secret + "+",
           "oc_tok_0123456789ab_" + std::string(129, 'A'),
           "oc_key_0123456789ab_" + secret,
       }) {
    EXPECT_FALSE(ApiTokenString::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace ocellus::auth
