#include "proto/rtsp/SessionHeader.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

TEST(SessionHeaderTest, ParsesAndFormats) {
  auto s = SessionHeader::parse("12345678;timeout=60");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->id, "12345678");
  EXPECT_EQ(s->timeout, 60u);
  EXPECT_EQ(s->toString(), "12345678;timeout=60");

  auto spaced = SessionHeader::parse(" 3635654081 ; Timeout = 30 ; other=1");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(*spaced, (SessionHeader{"3635654081", 30}));

  auto bare = SessionHeader::parse("a1-B2_c3.d4$");
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare->timeout.has_value());
  EXPECT_EQ(bare->toString(), "a1-B2_c3.d4$");
}

TEST(SessionHeaderTest, Rejects) {
  for (const char* bad : {"", " ;timeout=5", "a b", "a;timeout=", "a;timeout=x", "a;timeout=-1", "\"a\""}) {
    EXPECT_FALSE(SessionHeader::parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace ocellus::proto::rtsp
