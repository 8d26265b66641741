#include "api/http/Precompressed.h"

#include <gtest/gtest.h>

#include <array>

namespace ocellus::api::http {
namespace {

TEST(AcceptEncoding, ListedWithAWeightAboveZero) {
  EXPECT_TRUE(acceptsEncoding("gzip", "gzip"));
  EXPECT_TRUE(acceptsEncoding("gzip, deflate, br, zstd", "gzip"));  // Chromium's
  EXPECT_TRUE(acceptsEncoding("br;q=1.0, GZip;q=0.5", "gzip"));
  EXPECT_TRUE(acceptsEncoding("x-gzip", "gzip"));
  EXPECT_TRUE(acceptsEncoding(" deflate ,gzip ; q=0.001", "gzip"));
  EXPECT_FALSE(acceptsEncoding("gzip;q=0", "gzip"));
  EXPECT_FALSE(acceptsEncoding("gzip; q=0.000, br", "gzip"));
  EXPECT_FALSE(acceptsEncoding("br, deflate", "gzip"));
  EXPECT_FALSE(acceptsEncoding("identity", "gzip"));
  EXPECT_FALSE(acceptsEncoding("", "gzip"));
  EXPECT_FALSE(acceptsEncoding(std::nullopt, "gzip"));
}

TEST(AcceptEncoding, StarCoversWhatIsNotListed) {
  EXPECT_TRUE(acceptsEncoding("*", "gzip"));
  EXPECT_TRUE(acceptsEncoding("br, *;q=0.1", "gzip"));
  EXPECT_FALSE(acceptsEncoding("*;q=0", "gzip"));
  EXPECT_FALSE(acceptsEncoding("gzip;q=0, *", "gzip"));  // the named coding wins over "*"
  EXPECT_TRUE(acceptsEncoding("*;q=0, gzip", "gzip"));
}

// Sorted by name, as ocellus_embed makes them.
constexpr std::array<embedded::EmbeddedFile, 4> kFiles{{
    {"assets/app.js", "console.log(1)"},
    {"assets/app.js.gz", "GZIPPED"},
    {"assets/tiny.css", "a{}"},
    {"index.html", "<!doctype html>"},
}};

TEST(PrecompressedFile, SendsTheGzipCopyOnlyToClientsThatAcceptIt) {
  auto packed = precompressedFile(kFiles, "assets/app.js", "gzip, br", "public, max-age=60");
  ASSERT_TRUE(packed);
  EXPECT_EQ(packed->status, 200);
  EXPECT_EQ(packed->body, "GZIPPED");
  EXPECT_EQ(packed->headers.get("Content-Encoding"), "gzip");
  EXPECT_EQ(packed->headers.get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(packed->headers.get("Vary"), "Accept-Encoding");
  EXPECT_EQ(packed->headers.get("Cache-Control"), "public, max-age=60");

  for (const auto accept : {std::optional<std::string_view>{}, std::optional<std::string_view>{"br"},
                            std::optional<std::string_view>{"gzip;q=0"}}) {
    auto plain = precompressedFile(kFiles, "assets/app.js", accept, "no-cache");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->body, "console.log(1)");
    EXPECT_FALSE(plain->headers.has("Content-Encoding"));
    EXPECT_EQ(plain->headers.get("Vary"), "Accept-Encoding");  // a cache must still tell them apart
    EXPECT_EQ(plain->headers.get("Cache-Control"), "no-cache");
  }
}

TEST(PrecompressedFile, AFileWithoutACopyGoesAsItIs) {
  auto css = precompressedFile(kFiles, "assets/tiny.css", "gzip", "no-cache");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->body, "a{}");
  EXPECT_FALSE(css->headers.has("Content-Encoding"));
  EXPECT_EQ(css->headers.get("Content-Type"), "text/css; charset=utf-8");
}

TEST(PrecompressedFile, UnknownNamesAndTheCopiesThemselvesAreNotServed) {
  EXPECT_FALSE(precompressedFile(kFiles, "assets/other.js", "gzip", "no-cache"));
  EXPECT_FALSE(precompressedFile(kFiles, "assets/app.js.gz", "gzip", "no-cache"));
  EXPECT_FALSE(precompressedFile(kFiles, "", "gzip", "no-cache"));
  EXPECT_FALSE(precompressedFile(kFiles, "assets/../index.html", std::nullopt, "no-cache"));
}

}  // namespace
}  // namespace ocellus::api::http
