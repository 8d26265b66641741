#include "proto/srt/StreamId.h"

#include <gtest/gtest.h>

namespace ocellus::proto::srt {
namespace {

TEST(StreamIdTest, MediaMtxSpelling) {
  auto id = StreamId::parse("publish:cameras/front");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->action, StreamId::Action::Publish);
  EXPECT_EQ(id->path, "cameras/front");
  EXPECT_TRUE(id->user.empty());

  id = StreamId::parse("read:live:alice:pa:ss");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->action, StreamId::Action::Read);
  EXPECT_EQ(id->path, "live");
  EXPECT_EQ(id->user, "alice");
  EXPECT_EQ(id->password, "pa:ss");
}

TEST(StreamIdTest, TokenInThePathQuery) {
  auto id = StreamId::parse("read:live?x=1&token=eyJ.a.b");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->path, "live");
  EXPECT_EQ(id->token, "eyJ.a.b");
}

TEST(StreamIdTest, AccessControlSpelling) {
  auto id = StreamId::parse("#!::r=mystream,m=publish,u=bob,s=secret,t=stream,h=example.org");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->action, StreamId::Action::Publish);
  EXPECT_EQ(id->path, "mystream");
  EXPECT_EQ(id->user, "bob");
  EXPECT_EQ(id->password, "secret");

  id = StreamId::parse("#!::r=a/b");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->action, StreamId::Action::Read);
}

TEST(StreamIdTest, BadIdsNameWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"live", "no action"},
      {"play:live", "action \"play\""},
      {"read:", "path is empty"},
      {"read:live:alice", "without a password"},
      {"read:live::pw", "user is empty"},
      {"read:li ve", "spaces"},
      {"#!::r=a:b", "contains ':'"},
      {"#!::m=publish", "no r="},
      {"#!::r=x,m=push", "mode \"push\""},
      {"#!::r=x,t=file", "type \"file\""},
      {"#!::r=x,junk", "not key=value"},
  };
  for (const auto& [text, why] : cases) {
    auto id = StreamId::parse(text);
    ASSERT_FALSE(id) << text;
    EXPECT_EQ(id.error().code, base::ErrorCode::Malformed);
    EXPECT_NE(id.error().message.find(why), std::string::npos) << text << ": " << id.error().message;
  }
  EXPECT_FALSE(StreamId::parse("read:" + std::string(StreamId::kMaxLength, 'a')));
}

}  // namespace
}  // namespace ocellus::proto::srt
