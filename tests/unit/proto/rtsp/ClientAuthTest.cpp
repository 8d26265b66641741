#include "proto/rtsp/ClientAuth.h"

#include <gtest/gtest.h>

#include "proto/rtsp/AuthHeader.h"

namespace ocellus::proto::rtsp {
namespace {

std::optional<AuthHeader> answer(std::vector<std::string_view> challenges,
                                 std::string_view method = "DESCRIBE", std::string_view uri = "rtsp://h/s") {
  auto client = ClientAuth::fromChallenges(challenges, "Mufasa", "Circle of Life");
  if (!client) return std::nullopt;
  auto h = AuthHeader::parse(client->authorization(method, uri));
  EXPECT_TRUE(h.ok());
  return h.ok() ? std::optional(*h) : std::nullopt;
}

TEST(ClientAuthTest, PrefersSha256ThenMd5ThenBasic) {
  const std::string_view sha = "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256, qop=\"auth\"";
  const std::string_view md5 = "Digest realm=\"r\", nonce=\"n\"";
  const std::string_view basic = "Basic realm=\"r\"";
  EXPECT_EQ(answer({basic, md5, sha})->param("algorithm"), "SHA-256");
  EXPECT_EQ(answer({basic, md5})->param("algorithm"), "MD5");
  EXPECT_EQ(answer({basic})->scheme, "Basic");
  // One header value with two challenges.
  EXPECT_EQ(answer({"Basic realm=\"r\", Digest realm=\"r\", nonce=\"n\""})->scheme, "Digest");
  // Unsupported ones are passed over; nothing supported is an error.
  EXPECT_EQ(answer({"Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess", basic})->scheme, "Basic");
  EXPECT_EQ(answer({"Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", basic})->scheme, "Basic");
  EXPECT_EQ(answer({"Digest realm=\"unterminated", basic})->scheme, "Basic");
  EXPECT_FALSE(answer({"Negotiate", "Digest nonce=\"n\""}).has_value());
  EXPECT_FALSE(answer({}).has_value());
}

TEST(ClientAuthTest, DigestWithQopCountsRequests) {
  auto client = ClientAuth::fromChallenges(
      std::vector<std::string_view>{"Digest realm=\"r\", nonce=\"n\", qop=\"auth,auth-int\", opaque=\"o\""},
      "u", "p");
  ASSERT_TRUE(client.ok());
  auto first = AuthHeader::parse(client->authorization("DESCRIBE", "rtsp://h/s"));
  auto second = AuthHeader::parse(client->authorization("SETUP", "rtsp://h/s/trackID=0"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->param("nc"), "00000001");
  EXPECT_EQ(second->param("nc"), "00000002");
  EXPECT_EQ(first->param("qop"), "auth");
  EXPECT_EQ(first->param("opaque"), "o");
  EXPECT_EQ(second->param("uri"), "rtsp://h/s/trackID=0");
  EXPECT_EQ(first->param("cnonce")->size(), 16u);
  EXPECT_NE(first->param("cnonce"), second->param("cnonce"));
  // RFC 7616: qop, nc and algorithm are bare tokens; some cameras insist.
  EXPECT_NE(client->authorization("PLAY", "*").find("algorithm=MD5, qop=auth, nc=00000003, cnonce=\""),
            std::string::npos);
}

TEST(ClientAuthTest, DigestWithoutQop) {
  auto client = ClientAuth::fromChallenges(
      std::vector<std::string_view>{"Digest realm=\"ocellus\", "
                                    "nonce=\"000000006553f100521018e69f02ed664cdbe805ba75b0c9\""},
      "user", "pass");
  ASSERT_TRUE(client.ok());
  // The same response ffmpeg computed (tests/data/rtsp/ffmpeg_play_digest.client.bin).
  EXPECT_EQ(
      client->authorization("DESCRIBE", "rtsp://127.0.0.1:18554/cam"),
      "Digest username=\"user\", realm=\"ocellus\", "
      "nonce=\"000000006553f100521018e69f02ed664cdbe805ba75b0c9\", "
      "uri=\"rtsp://127.0.0.1:18554/cam\", response=\"3b67d0bc2e48aa9cad665bca086ed5db\", algorithm=MD5");
}

TEST(ClientAuthTest, Basic) {
  auto client =
      ClientAuth::fromChallenges(std::vector<std::string_view>{"Basic realm=\"cam\""}, "user", "pass");
  ASSERT_TRUE(client.ok());
  EXPECT_FALSE(client->isDigest());
  EXPECT_EQ(client->authorization("PLAY", "*"), "Basic dXNlcjpwYXNz");
}

}  // namespace
}  // namespace ocellus::proto::rtsp
