#include "api/http/Target.h"

#include <gtest/gtest.h>

namespace ocellus::api::http {
namespace {

TEST(TargetTest, SplitsAndDecodes) {
  const auto t = Target::parse("/files/a%20b.mp4?camera=cam%2F1&q=a+b&flag&&empty=");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rawPath, "/files/a%20b.mp4");
  EXPECT_EQ(t->path, "/files/a b.mp4");
  ASSERT_EQ(t->query.size(), 4u);
  EXPECT_EQ(t->query[0], (std::pair<std::string, std::string>{"camera", "cam/1"}));
  EXPECT_EQ(t->query[1].second, "a b");
  EXPECT_EQ(t->query[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(t->query[3], (std::pair<std::string, std::string>{"empty", ""}));
}

TEST(TargetTest, PlusIsLiteralInThePath) {
  const auto t = Target::parse("/a+b");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/a+b");
}

TEST(TargetTest, AbsoluteAndAsteriskForms) {
  auto t = Target::parse("http://example.com:8002/api/v1/cameras?x=1");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/api/v1/cameras");
  EXPECT_EQ(t->query.size(), 1u);
  t = Target::parse("*");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "*");
}

TEST(TargetTest, RejectsMalformed) {
  EXPECT_FALSE(Target::parse("").ok());
  EXPECT_FALSE(Target::parse("relative/path").ok());
  EXPECT_FALSE(Target::parse("/bad%2").ok());
  EXPECT_FALSE(Target::parse("/bad%zz").ok());
  EXPECT_FALSE(Target::parse("/nul%00byte").ok());
  EXPECT_FALSE(Target::parse("/ok?x=%G1").ok());
}

TEST(TargetTest, AnOriginFormPathMayHoldASchemeLikeText) {
  const auto t = Target::parse("/go?to=http://example.com/x");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/go");
  ASSERT_EQ(t->query.size(), 1u);
  EXPECT_EQ(t->query[0].second, "http://example.com/x");
}

TEST(TargetTest, PercentDecodeEdges) {
  EXPECT_EQ(percentDecode("%41"), "A");  // an escape that ends the text
  EXPECT_EQ(percentDecode("%e2%82%AC+1%"), std::nullopt);
  EXPECT_EQ(percentDecode("%e2%82%AC+1"), "\xe2\x82\xac+1");
  EXPECT_EQ(percentDecode("a%2B+b+", true), "a+ b ");
  EXPECT_EQ(percentDecode("+%2b", true), " +");
  EXPECT_EQ(percentDecode(""), "");
  EXPECT_EQ(percentDecode("%4"), std::nullopt);
  EXPECT_EQ(percentDecode("%+1", true), std::nullopt);
  EXPECT_EQ(percentDecode(std::string_view("a\0b", 3)), std::nullopt);

  std::string out = "kept/";
  EXPECT_TRUE(appendPercentDecoded(out, "a%20b"));
  EXPECT_EQ(out, "kept/a b");
  EXPECT_FALSE(appendPercentDecoded(out, "c%zz"));
}

TEST(TargetTest, SplitPathDropsEmptySegments) {
  EXPECT_EQ(splitPath("/a//b/"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_TRUE(splitPath("/").empty());
  EXPECT_TRUE(splitPath("").empty());
  EXPECT_TRUE(splitPath("///").empty());
  EXPECT_EQ(splitPath("a/b"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(splitPath("/a%2Fb/c"), (std::vector<std::string_view>{"a%2Fb", "c"}));
}

}  // namespace
}  // namespace ocellus::api::http
