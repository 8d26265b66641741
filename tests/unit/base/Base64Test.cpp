#include "base/Base64.h"

#include <gtest/gtest.h>

#include <numeric>

#include "base/ByteReader.h"

namespace ocellus::base {
namespace {

std::string decodeToString(std::string_view text) {
  auto bytes = base64Decode(text);
  EXPECT_TRUE(bytes.has_value()) << text;
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

// RFC 4648 §10 test vectors.
TEST(Base64Test, EncodesRfcVectors) {
  EXPECT_EQ(base64Encode(asBytes("")), "");
  EXPECT_EQ(base64Encode(asBytes("f")), "Zg==");
  EXPECT_EQ(base64Encode(asBytes("fo")), "Zm8=");
  EXPECT_EQ(base64Encode(asBytes("foo")), "Zm9v");
  EXPECT_EQ(base64Encode(asBytes("foob")), "Zm9vYg==");
  EXPECT_EQ(base64Encode(asBytes("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64Encode(asBytes("foobar")), "Zm9vYmFy");
}

TEST(Base64Test, DecodesRfcVectors) {
  EXPECT_EQ(decodeToString(""), "");
  EXPECT_EQ(decodeToString("Zg=="), "f");
  EXPECT_EQ(decodeToString("Zm8="), "fo");
  EXPECT_EQ(decodeToString("Zm9v"), "foo");
  EXPECT_EQ(decodeToString("Zm9vYg=="), "foob");
  EXPECT_EQ(decodeToString("Zm9vYmE="), "fooba");
  EXPECT_EQ(decodeToString("Zm9vYmFy"), "foobar");
}

TEST(Base64Test, AcceptsMissingPadding) {
  EXPECT_EQ(decodeToString("Zg"), "f");
  EXPECT_EQ(decodeToString("Zm8"), "fo");
}

TEST(Base64Test, DecodesAnSdpParameterSet) {
  // sprop-parameter-sets from FFmpeg's SDP for tests/data/h264/testsrc_320x240.h264.
  auto pps = base64Decode("aMuDyyA=");
  ASSERT_TRUE(pps);
  EXPECT_EQ(*pps, (std::vector<std::uint8_t>{0x68, 0xcb, 0x83, 0xcb, 0x20}));
}

TEST(Base64Test, RejectsMalformedText) {
  for (std::string_view bad :
       {"Z", "Zg=", "Zg===", "=Zg=", "Zm9v!", "Zm 9v", "Zg==Zg==", "Zm9vY", "Zm8==", "-_8="}) {
    EXPECT_FALSE(base64Decode(bad).has_value()) << bad;
  }
}

TEST(Base64Test, RoundTripsEveryByteValueAtEveryLength) {
  std::vector<std::uint8_t> all(256);
  std::iota(all.begin(), all.end(), 0);
  for (std::size_t n = 0; n <= all.size(); n += 1 + n / 8) {
    const std::span<const std::uint8_t> data(all.data(), n);
    const std::string text = base64Encode(data);
    EXPECT_EQ(text.size(), (n + 2) / 3 * 4);
    auto back = base64Decode(text);
    ASSERT_TRUE(back) << text;
    EXPECT_TRUE(std::equal(back->begin(), back->end(), data.begin(), data.end())) << n;
  }
}

TEST(Base64UrlTest, Base64UrlMatchesRfc4648Vectors) {
  // RFC 4648 §10, in the URL alphabet without padding.
  EXPECT_EQ(base64UrlEncode(asBytes("")), "");
  EXPECT_EQ(base64UrlEncode(asBytes("f")), "Zg");
  EXPECT_EQ(base64UrlEncode(asBytes("fo")), "Zm8");
  EXPECT_EQ(base64UrlEncode(asBytes("foo")), "Zm9v");
  EXPECT_EQ(base64UrlEncode(asBytes("foob")), "Zm9vYg");
  EXPECT_EQ(base64UrlEncode(asBytes("fooba")), "Zm9vYmE");
  EXPECT_EQ(base64UrlEncode(asBytes("foobar")), "Zm9vYmFy");
  const std::uint8_t high[] = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64UrlEncode(high), "-_-_");
}

TEST(Base64UrlTest, Base64UrlDecoderIsStrict) {
  auto ok = base64UrlDecode("Zm9vYmE");
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::string(ok->begin(), ok->end()), "fooba");
  EXPECT_FALSE(base64UrlDecode("Zm9vYmE="));  // padding
  EXPECT_FALSE(base64UrlDecode("Zm9v+mE"));   // standard alphabet
  EXPECT_FALSE(base64UrlDecode("Zm9 vYmE"));  // whitespace
  EXPECT_FALSE(base64UrlDecode("Z"));         // dangling character
  EXPECT_FALSE(base64UrlDecode("Zh"));        // "f" is "Zg": non-zero unused bits
  EXPECT_TRUE(base64UrlDecode("Zg"));
}

TEST(Base64UrlTest, Base64UrlRoundTripsEveryLength) {
  for (std::size_t n = 0; n < 70; ++n) {
    std::vector<std::uint8_t> data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 37 + n);
    const auto text = base64UrlEncode(data);
    auto back = base64UrlDecode(text);
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, data);
  }
}

}  // namespace
}  // namespace ocellus::base
