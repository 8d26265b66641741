#include "api/http/ByteRange.h"

#include <gtest/gtest.h>

namespace ocellus::api::http {
namespace {

using Kind = ByteRange::Kind;

TEST(ByteRangeTest, ClosedOpenAndSuffixRanges) {
  auto r = ByteRange::parse("bytes=10-19", 1000);
  ASSERT_EQ(r.kind, Kind::Partial);
  EXPECT_EQ(r.first, 10u);
  EXPECT_EQ(r.last, 19u);
  EXPECT_EQ(r.length(), 10u);

  r = ByteRange::parse("bytes=990-", 1000);
  ASSERT_EQ(r.kind, Kind::Partial);
  EXPECT_EQ(r.first, 990u);
  EXPECT_EQ(r.last, 999u);

  r = ByteRange::parse("bytes=-5", 1000);
  ASSERT_EQ(r.kind, Kind::Partial);
  EXPECT_EQ(r.first, 995u);
  EXPECT_EQ(r.last, 999u);

  r = ByteRange::parse("bytes=-5000", 1000);  // more than the file: all of it
  ASSERT_EQ(r.kind, Kind::Partial);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 999u);

  r = ByteRange::parse("Bytes=0-99999", 1000);  // the unit is case-insensitive; the end is clamped
  ASSERT_EQ(r.kind, Kind::Partial);
  EXPECT_EQ(r.last, 999u);
}

TEST(ByteRangeTest, Unsatisfiable) {
  EXPECT_EQ(ByteRange::parse("bytes=1000-", 1000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(ByteRange::parse("bytes=1000-1001", 1000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(ByteRange::parse("bytes=-0", 1000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(ByteRange::parse("bytes=0-", 0).kind, Kind::Unsatisfiable);
}

TEST(ByteRangeTest, IgnoredHeadersServeTheWholeFile) {
  EXPECT_EQ(ByteRange::parse("", 1000).kind, Kind::Whole);
  EXPECT_EQ(ByteRange::parse("items=0-1", 1000).kind, Kind::Whole);
  EXPECT_EQ(ByteRange::parse("bytes=0-1,5-6", 1000).kind, Kind::Whole);
  EXPECT_EQ(ByteRange::parse("bytes=5-1", 1000).kind, Kind::Whole);
  EXPECT_EQ(ByteRange::parse("bytes=x-1", 1000).kind, Kind::Whole);
  EXPECT_EQ(ByteRange::parse("bytes=-", 1000).kind, Kind::Whole);
  EXPECT_EQ(ByteRange::parse("bytes=99999999999999999999999-", 1000).kind, Kind::Whole);
}

}  // namespace
}  // namespace ocellus::api::http
