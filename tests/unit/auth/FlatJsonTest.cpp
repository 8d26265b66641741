#include "auth/FlatJson.h"

#include <gtest/gtest.h>

namespace ocellus::auth {
namespace {

TEST(FlatJsonTest, ParsesScalars) {
  auto j = FlatJson::parse(
      R"( {"a":"x\"y\\z\u00e9\ud83d\ude00","n":-42,"t":true,"f":false,"z":null,"big":9223372036854775807} )");
  ASSERT_TRUE(j) << j.error().describe();
  EXPECT_EQ(j->string("a"), "x\"y\\z\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(j->integer("n"), -42);
  EXPECT_EQ(j->integer("big"), 9223372036854775807LL);
  EXPECT_EQ(*j->find("t"), FlatJson::Value(true));
  EXPECT_EQ(*j->find("z"), FlatJson::Value(nullptr));
  EXPECT_FALSE(j->string("n"));
  EXPECT_FALSE(j->integer("missing"));
  EXPECT_TRUE(FlatJson::parse("{}"));
}

TEST(FlatJsonTest, RefusesWhatItDoesNotHandle) {
  for (const char* bad : {
           "",
           "[]",
           "{",
           "{\"a\"}",
           "{\"a\":}",
           "{\"a\":1,}",
           "{\"a\":{}}",
           "{\"a\":[1]}",
           "{\"a\":1.5}",
           "{\"a\":1e3}",
           "{\"a\":01}",
           "{\"a\":9223372036854775808}",
           "{\"a\":1,\"a\":2}",
           "{\"a\":\"\\ud800\"}",
           "{\"a\":\"\\udc00\"}",
           "{\"a\":\"\x01\"}",
           "{\"a\":\"\\x\"}",
           "{\"a\":1} x",
           "{\"a\":tru}",
           "{a:1}",
           "{\"a\":\"unterminated}",
       }) {
    EXPECT_FALSE(FlatJson::parse(bad)) << bad;
  }
}

TEST(FlatJsonTest, BoundsSizeAndMembers) {
  std::string many = "{";
  for (std::size_t i = 0; i <= FlatJson::kMaxMembers; ++i)
    many += (i ? ",\"" : "\"") + std::to_string(i) + "\":1";
  many += "}";
  auto r = FlatJson::parse(many);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, base::ErrorCode::TooLarge);
  auto big = FlatJson::parse("{\"a\":\"" + std::string(FlatJson::kMaxTextLength, 'x') + "\"}");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, base::ErrorCode::TooLarge);
}

TEST(FlatJsonTest, SerializeRoundTrips) {
  FlatJson j;
  j.set("s", std::string("quote\" back\\ ctl\x01\n \xff raw"));
  j.set("i", std::int64_t{-9223372036854775807LL - 1});
  j.set("b", false);
  j.set("n", nullptr);
  const std::string text = j.serialize();
  auto back = FlatJson::parse(text);
  ASSERT_TRUE(back) << text;
  EXPECT_EQ(*back, j);
}

}  // namespace
}  // namespace ocellus::auth
