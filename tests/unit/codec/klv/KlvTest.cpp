#include "codec/klv/Klv.h"

#include <gtest/gtest.h>

namespace ocellus::codec::klv {
namespace {

using Bytes = std::vector<std::uint8_t>;

base::Result<std::uint64_t> berLength(const Bytes& b, std::size_t* consumed = nullptr) {
  base::ByteReader r(b);
  auto v = readBerLength(r);
  if (consumed) *consumed = r.position();
  return v;
}

Bytes encodeLength(std::uint64_t v) {
  Bytes out;
  base::ByteWriter w(out);
  writeBerLength(v, w);
  return out;
}

TEST(KlvTest, ReadsShortAndLongFormBerLengths) {
  std::size_t used = 0;
  EXPECT_EQ(*berLength({0x00}, &used), 0u);
  EXPECT_EQ(used, 1u);
  EXPECT_EQ(*berLength({0x7f, 0xaa}, &used), 127u);
  EXPECT_EQ(used, 1u);
  EXPECT_EQ(*berLength({0x81, 0x80}, &used), 128u);
  EXPECT_EQ(used, 2u);
  EXPECT_EQ(*berLength({0x82, 0x01, 0x00}), 256u);
  // A long form need not be minimal (ST 336 allows 0x83 00 00 05 for 5).
  EXPECT_EQ(*berLength({0x83, 0x00, 0x00, 0x05}), 5u);
  EXPECT_EQ(*berLength({0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), ~std::uint64_t{0});
}

TEST(KlvTest, RejectsBadBerLengthsWithoutMoving) {
  EXPECT_EQ(berLength({}).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(berLength({0x80}).error().code, base::ErrorCode::Unsupported);  // indefinite
  EXPECT_EQ(berLength({0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9}).error().code, base::ErrorCode::TooLarge);
  std::size_t used = 9;
  EXPECT_EQ(berLength({0x82, 0x01}, &used).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(used, 0u);
}

TEST(KlvTest, WritesTheShortestBerLength) {
  EXPECT_EQ(encodeLength(0), (Bytes{0x00}));
  EXPECT_EQ(encodeLength(127), (Bytes{0x7f}));
  EXPECT_EQ(encodeLength(128), (Bytes{0x81, 0x80}));
  EXPECT_EQ(encodeLength(65535), (Bytes{0x82, 0xff, 0xff}));
  EXPECT_EQ(encodeLength(65536), (Bytes{0x83, 0x01, 0x00, 0x00}));
  for (std::uint64_t v : {0ull, 1ull, 200ull, 70000ull, 1ull << 40, ~0ull}) {
    EXPECT_EQ(*berLength(encodeLength(v)), v);
  }
}

TEST(KlvTest, ReadsAndWritesBerOidTags) {
  for (std::uint32_t v : {0u, 1u, 65u, 127u, 128u, 143u, 16383u, 16384u, (1u << 28) - 1}) {
    Bytes b;
    base::ByteWriter w(b);
    writeBerOid(v, w);
    base::ByteReader r(b);
    EXPECT_EQ(*readBerOid(r), v);
    EXPECT_TRUE(r.empty());
  }
  Bytes b;
  base::ByteWriter w(b);
  writeBerOid(144, w);
  EXPECT_EQ(b, (Bytes{0x81, 0x10}));  // ST 0601 tag 144 is two bytes
  const Bytes one = {0x81};
  base::ByteReader truncated(one);
  EXPECT_EQ(readBerOid(truncated).error().code, base::ErrorCode::Truncated);
  const Bytes tooLong = {0x81, 0x81, 0x81, 0x81, 0x01};
  base::ByteReader r(tooLong);
  EXPECT_EQ(readBerOid(r).error().code, base::ErrorCode::TooLarge);
}

TEST(KlvTest, IteratesOverTriplets) {
  UniversalLabel a{};
  UniversalLabel b{};
  a.fill(0x11);
  b.fill(0x22);
  const Bytes big(300, 0x5a);
  Bytes buf;
  base::ByteWriter w(buf);
  writeTriplet(a, Bytes{1, 2, 3}, w);
  writeTriplet(b, big, w);
  writeTriplet(a, Bytes{}, w);
  ASSERT_EQ(buf.size(), 16 + 1 + 3 + 16 + 3 + 300 + 16 + 1u);

  KlvReader r(buf);
  std::vector<Triplet> got;
  while (!r.atEnd()) {
    auto t = r.next();
    ASSERT_TRUE(t.ok()) << t.error().describe();
    got.push_back(*t);
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].key, a);
  EXPECT_EQ(Bytes(got[0].value.begin(), got[0].value.end()), (Bytes{1, 2, 3}));
  EXPECT_EQ(got[0].whole.size(), 20u);
  EXPECT_EQ(got[1].key, b);
  EXPECT_EQ(got[1].value.size(), 300u);
  EXPECT_EQ(got[1].whole.data(), buf.data() + 20);
  EXPECT_TRUE(got[2].value.empty());
}

TEST(KlvTest, StopsAtATruncatedTriplet) {
  UniversalLabel a{};
  Bytes buf;
  base::ByteWriter w(buf);
  writeTriplet(a, Bytes{1, 2, 3}, w);
  buf.pop_back();
  KlvReader r(buf);
  auto t = r.next();
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, base::ErrorCode::Truncated);
  EXPECT_TRUE(r.atEnd());

  const Bytes shortKey(10, 0);
  KlvReader k(shortKey);
  EXPECT_EQ(k.next().error().code, base::ErrorCode::Truncated);
}

TEST(KlvTest, RejectsValuesOverTheLimit) {
  Bytes buf(16, 0);
  base::ByteWriter w(buf);
  writeBerLength(kMaxValueSize + 1, w);
  base::ByteReader r(buf);
  EXPECT_EQ(readTriplet(r).error().code, base::ErrorCode::TooLarge);
  EXPECT_EQ(r.position(), 0u);
}

}  // namespace
}  // namespace ocellus::codec::klv
