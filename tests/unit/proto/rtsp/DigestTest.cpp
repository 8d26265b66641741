#include "proto/rtsp/Digest.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

TEST(DigestTest, Rfc2617Example) {
  // RFC 2617 §3.5.
  DigestInput in{.algorithm = DigestAlgorithm::Md5,
                 .username = "Mufasa",
                 .realm = "testrealm@host.com",
                 .password = "Circle Of Life",
                 .method = "GET",
                 .uri = "/dir/index.html",
                 .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                 .qop = "auth",
                 .nc = "00000001",
                 .cnonce = "0a4f113b"};
  EXPECT_EQ(digestResponse(in), "6629fae49393a05397450978507c4ef1");
}

TEST(DigestTest, Rfc7616Examples) {
  // RFC 7616 §3.9.1.
  DigestInput in{.algorithm = DigestAlgorithm::Md5,
                 .username = "Mufasa",
                 .realm = "http-auth@example.org",
                 .password = "Circle of Life",
                 .method = "GET",
                 .uri = "/dir/index.html",
                 .nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                 .qop = "auth",
                 .nc = "00000001",
                 .cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"};
  EXPECT_EQ(digestResponse(in), "8ca523f5e9506fed4657c9700eebdbec");
  in.algorithm = DigestAlgorithm::Sha256;
  EXPECT_EQ(digestResponse(in), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(DigestTest, Rfc2069FormMatchesFfmpeg) {
  // tests/data/rtsp/ffmpeg_play_digest.client.bin, password "pass".
  DigestInput in{.algorithm = DigestAlgorithm::Md5,
                 .username = "user",
                 .realm = "ocellus",
                 .password = "pass",
                 .method = "DESCRIBE",
                 .uri = "rtsp://127.0.0.1:18554/cam",
                 .nonce = "000000006553f100521018e69f02ed664cdbe805ba75b0c9"};
  EXPECT_EQ(digestResponse(in), "3b67d0bc2e48aa9cad665bca086ed5db");
}

TEST(DigestTest, AlgorithmNames) {
  EXPECT_EQ(parseDigestAlgorithm("md5"), DigestAlgorithm::Md5);
  EXPECT_EQ(parseDigestAlgorithm("SHA-256"), DigestAlgorithm::Sha256);
  EXPECT_FALSE(parseDigestAlgorithm("MD5-sess").has_value());
  EXPECT_FALSE(parseDigestAlgorithm("SHA-512-256").has_value());
  EXPECT_EQ(digestAlgorithmName(DigestAlgorithm::Sha256), "SHA-256");
}

}  // namespace
}  // namespace ocellus::proto::rtsp
