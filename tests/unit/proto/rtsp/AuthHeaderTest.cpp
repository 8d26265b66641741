#include "proto/rtsp/AuthHeader.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

TEST(AuthHeaderTest, FfmpegAuthorization) {
  // tests/data/rtsp/ffmpeg_play_digest_qop.client.bin
  const std::string value =
      "Digest username=\"user\", realm=\"ocellus\", "
      "nonce=\"000000006553f100521018e69f02ed664cdbe805ba75b0c9\", "
      "uri=\"rtsp://127.0.0.1:18555/cam\", response=\"b00486bf0fe8b481cb05fd59545e4ec3\", algorithm=\"MD5\", "
      "qop=\"auth\", cnonce=\"3c67c7010f240ca5\", nc=00000001";
  auto h = AuthHeader::parse(value);
  ASSERT_TRUE(h.ok()) << h.error().describe();
  EXPECT_TRUE(h->is("digest"));
  EXPECT_EQ(h->params.size(), 9u);
  EXPECT_EQ(h->param("USERNAME"), "user");
  EXPECT_EQ(h->param("nc"), "00000001");
  EXPECT_EQ(h->params.back(), (AuthParam{"nc", "00000001", false}));
  EXPECT_EQ(h->toString(), value);
}

TEST(AuthHeaderTest, SeveralChallengesInOneValue) {
  auto list = AuthHeader::parseList(
      "Digest realm=\"a b\", qop=\"auth, auth-int\", nonce=abc/def==, algorithm=SHA-256,Basic "
      "realm=\"x\\\"y\"");
  ASSERT_TRUE(list.ok()) << list.error().describe();
  ASSERT_EQ(list->size(), 2u);
  const auto& digest = (*list)[0];
  EXPECT_EQ(digest.param("qop"), "auth, auth-int");
  EXPECT_EQ(digest.param("nonce"), "abc/def==");
  EXPECT_EQ(digest.params[1].quoted, true);
  EXPECT_EQ(digest.params[2].quoted, true);  // not a token: re-written quoted
  EXPECT_EQ(digest.params[3].quoted, false);
  EXPECT_EQ((*list)[1].param("realm"), "x\"y");
  EXPECT_EQ((*list)[1].toString(), "Basic realm=\"x\\\"y\"");
}

TEST(AuthHeaderTest, Token68) {
  auto basic = AuthHeader::parse("Basic dXNlcjpwYXNz");
  ASSERT_TRUE(basic.ok());
  EXPECT_EQ(basic->token68, "dXNlcjpwYXNz");
  EXPECT_TRUE(basic->params.empty());
  auto padded = AuthHeader::parseList("Basic dXNlcjpwYXM=, Negotiate");
  ASSERT_TRUE(padded.ok());
  ASSERT_EQ(padded->size(), 2u);
  EXPECT_EQ((*padded)[0].token68, "dXNlcjpwYXM=");
  EXPECT_EQ((*padded)[1].scheme, "Negotiate");
  EXPECT_EQ((*padded)[0].toString(), "Basic dXNlcjpwYXM=");
}

TEST(AuthHeaderTest, Rejects) {
  for (const char* bad : {"realm=\"x\"", "Digest realm=\"unterminated", "Digest realm=x, nonce=",
                          "Digest realm=a\"b\"", "Digest ,=x", "Basic a, Digest b"}) {
    EXPECT_FALSE(AuthHeader::parse(bad).ok()) << bad;
  }
  std::string many = "Digest ";
  for (std::size_t i = 0; i < AuthHeader::kMaxItems; ++i) many += "p" + std::to_string(i) + "=1, ";
  EXPECT_EQ(AuthHeader::parse(many).error().code, base::ErrorCode::TooLarge);
}

}  // namespace
}  // namespace ocellus::proto::rtsp
