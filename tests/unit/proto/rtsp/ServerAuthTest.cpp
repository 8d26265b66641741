#include "proto/rtsp/ServerAuth.h"

#include <gtest/gtest.h>

#include "base/ByteReader.h"
#include "proto/rtsp/ClientAuth.h"
#include "proto/rtsp/Parser.h"
#include "unit/TestData.h"

namespace ocellus::proto::rtsp {
namespace {

using std::chrono::seconds;

// The capture scripts in tests/data/rtsp/capture made their nonce with this secret and time.
constexpr std::int64_t kIssued = 1700000000;
const base::WallTime kNow{seconds(kIssued + 5)};

ServerAuth makeServer(std::string secret = "test-secret", bool allowBasic = true) {
  return ServerAuth({.realm = "ocellus",
                     .nonceLifetime = seconds(600),
                     .allowBasic = allowBasic,
                     .secret = std::vector<std::uint8_t>(secret.begin(), secret.end())});
}

std::optional<std::string> lookup(std::string_view user) {
  if (user == "user") return std::string("pass");
  return std::nullopt;
}

std::vector<Request> authorizedRequests(const std::string& capture) {
  const auto bytes = test::readTestData("rtsp/" + capture);
  Parser p;
  p.feed(bytes);
  std::vector<Request> out;
  for (auto e = p.next(); std::holds_alternative<Request>(e); e = p.next()) {
    auto& r = std::get<Request>(e);
    if (r.headers.get("Authorization")) out.push_back(std::move(r));
  }
  return out;
}

TEST(ServerAuthTest, ChallengesMatchTheCaptureScript) {
  const auto challenges = makeServer().challenges(base::WallTime(seconds(kIssued)));
  const std::string nonce = "000000006553f100521018e69f02ed664cdbe805ba75b0c9";
  EXPECT_EQ(challenges,
            (std::vector<std::string>{
                "Digest realm=\"ocellus\", nonce=\"" + nonce + "\", algorithm=SHA-256, qop=\"auth\"",
                "Digest realm=\"ocellus\", nonce=\"" + nonce + "\", algorithm=MD5",
                "Basic realm=\"ocellus\"",
            }));
  const auto stale = makeServer("test-secret", false).challenges(base::WallTime(seconds(kIssued)), true);
  ASSERT_EQ(stale.size(), 2u);
  EXPECT_TRUE(stale[1].ends_with("algorithm=MD5, stale=true"));
}

TEST(ServerAuthTest, AcceptsFfmpegDigest) {
  const auto server = makeServer();
  for (const char* capture :
       {"ffmpeg_play_digest.client.bin", "ffmpeg_play_digest_qop.client.bin", "ffmpeg_play_udp.client.bin"}) {
    const auto requests = authorizedRequests(capture);
    ASSERT_EQ(requests.size(), 3u) << capture;  // DESCRIBE, SETUP, PLAY
    for (const auto& r : requests) {
      auto user = server.verify(*r.headers.get("Authorization"), r.method, r.uri, server.plaintext(lookup), kNow);
      ASSERT_TRUE(user.ok()) << capture << " " << r.method << ": " << user.error().describe();
      EXPECT_EQ(*user, "user");
    }
  }
}

TEST(ServerAuthTest, RejectsWrongPasswordUserMethodOrUri) {
  const auto server = makeServer();
  const auto r = authorizedRequests("ffmpeg_play_digest.client.bin").at(0);
  const auto auth = *r.headers.get("Authorization");
  const auto wrongPassword = [](std::string_view) -> std::optional<std::string> { return "Pass"; };
  const auto noUser = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  EXPECT_EQ(server.verify(auth, r.method, r.uri, server.plaintext(wrongPassword), kNow).error().code,
            base::ErrorCode::Unauthorized);
  EXPECT_EQ(server.verify(auth, r.method, r.uri, server.plaintext(noUser), kNow).error().code, base::ErrorCode::Unauthorized);
  EXPECT_EQ(server.verify(auth, "PLAY", r.uri, server.plaintext(lookup), kNow).error().code, base::ErrorCode::Unauthorized);
  EXPECT_EQ(server.verify(auth, r.method, "rtsp://127.0.0.1:18554/other", server.plaintext(lookup), kNow).error().code,
            base::ErrorCode::Unauthorized);
  EXPECT_TRUE(server.verify(auth, r.method, r.uri + "/", server.plaintext(lookup), kNow).ok());
  EXPECT_EQ(server.verify("", r.method, r.uri, server.plaintext(lookup), kNow).error().code, base::ErrorCode::Unauthorized);
  EXPECT_EQ(server.verify("Bearer abc", r.method, r.uri, server.plaintext(lookup), kNow).error().code,
            base::ErrorCode::Unauthorized);
}

TEST(ServerAuthTest, ExpiredOrForeignNonceIsStale) {
  const auto r = authorizedRequests("ffmpeg_play_digest.client.bin").at(0);
  const auto auth = *r.headers.get("Authorization");
  const auto server = makeServer();
  EXPECT_TRUE(server.verify(auth, r.method, r.uri, server.plaintext(lookup), base::WallTime(seconds(kIssued + 600))).ok());
  EXPECT_EQ(server.verify(auth, r.method, r.uri, server.plaintext(lookup), base::WallTime(seconds(kIssued + 601))).error().code,
            base::ErrorCode::Timeout);
  EXPECT_EQ(server.verify(auth, r.method, r.uri, server.plaintext(lookup), base::WallTime(seconds(kIssued - 61))).error().code,
            base::ErrorCode::Timeout);
  EXPECT_EQ(makeServer("another-secret").verify(auth, r.method, r.uri, server.plaintext(lookup), kNow).error().code,
            base::ErrorCode::Timeout);
}

TEST(ServerAuthTest, AcceptsItsOwnClient) {
  const auto server = makeServer();
  const auto challenges = server.challenges(kNow);
  const std::vector<std::string_view> views(challenges.begin(), challenges.end());
  auto client = ClientAuth::fromChallenges(views, "user", "pass");
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->algorithm(), DigestAlgorithm::Sha256);
  for (const char* method : {"DESCRIBE", "SETUP", "PLAY"}) {
    const auto header = client->authorization(method, "rtsp://h/cam");
    auto user = server.verify(header, method, "rtsp://h/cam", server.plaintext(lookup), kNow);
    ASSERT_TRUE(user.ok()) << header << ": " << user.error().describe();
  }
  const auto md5Only = std::vector<std::string_view>{views[1]};
  auto md5 = ClientAuth::fromChallenges(md5Only, "user", "pass");
  ASSERT_TRUE(md5.ok());
  EXPECT_TRUE(server.verify(md5->authorization("OPTIONS", "*"), "OPTIONS", "*", server.plaintext(lookup), kNow).ok());
  auto wrong = ClientAuth::fromChallenges(views, "user", "wrong");
  EXPECT_EQ(server.verify(wrong->authorization("PLAY", "*"), "PLAY", "*", server.plaintext(lookup), kNow).error().code,
            base::ErrorCode::Unauthorized);
}

TEST(ServerAuthTest, Basic) {
  const auto server = makeServer();
  EXPECT_EQ(*server.verify("Basic dXNlcjpwYXNz", "PLAY", "*", server.plaintext(lookup), kNow), "user");  // user:pass
  EXPECT_FALSE(server.verify("Basic dXNlcjpwYXN0", "PLAY", "*", server.plaintext(lookup), kNow).ok());   // user:past
  EXPECT_FALSE(server.verify("Basic dXNlcnBhc3M=", "PLAY", "*", server.plaintext(lookup), kNow).ok());   // no colon
  EXPECT_FALSE(server.verify("Basic !!!!", "PLAY", "*", server.plaintext(lookup), kNow).ok());
  EXPECT_FALSE(makeServer("s", false).verify("Basic dXNlcjpwYXNz", "PLAY", "*", server.plaintext(lookup), kNow).ok());
}

TEST(ServerAuthTest, RandomSecretWhenNoneGiven) {
  const ServerAuth a({}), b({});
  EXPECT_NE(a.challenges(kNow), b.challenges(kNow));
  EXPECT_EQ(a.challenges(kNow), a.challenges(kNow));
}

}  // namespace
}  // namespace ocellus::proto::rtsp
