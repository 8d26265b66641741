#include "proto/rtmp/Amf0.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>


namespace ocellus::proto::rtmp {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes encoded(const Amf0Value& v) {
  return Amf0::encodeAll(std::span<const Amf0Value>(&v, 1));
}

TEST(Amf0Test, GoldenEncodings) {
  EXPECT_EQ(encoded(Amf0Value::makeNumber(1.0)), (Bytes{0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(encoded(Amf0Value::makeBoolean(true)), (Bytes{0x01, 0x01}));
  EXPECT_EQ(encoded(Amf0Value::makeString("ab")), (Bytes{0x02, 0x00, 0x02, 'a', 'b'}));
  EXPECT_EQ(encoded(Amf0Value::makeNull()), (Bytes{0x05}));
  EXPECT_EQ(encoded(Amf0Value::makeObject({{"a", Amf0Value::makeNull()}})),
            (Bytes{0x03, 0x00, 0x01, 'a', 0x05, 0x00, 0x00, 0x09}));
  EXPECT_EQ(encoded(Amf0Value::makeEcmaArray({})), (Bytes{0x08, 0, 0, 0, 0, 0x00, 0x00, 0x09}));
}

TEST(Amf0Test, RoundTripsEveryType) {
  Amf0Value date;
  date.type = Amf0Type::Date;
  date.number = 1.7e12;
  date.timezone = -60;
  const std::vector<Amf0Value> values{
      Amf0Value::makeString("connect"),
      Amf0Value::makeNumber(1),
      Amf0Value::makeObject({{"app", Amf0Value::makeString("live")},
                             {"nested", Amf0Value::makeObject({{"deep", Amf0Value::makeBoolean(false)}})},
                             {"nan", Amf0Value::makeNumber(std::nan(""))}}),
      Amf0Value::makeNull(),
      Amf0Value::makeUndefined(),
      Amf0Value::makeEcmaArray({{"width", Amf0Value::makeNumber(320)}}),
      Amf0Value::makeStrictArray({Amf0Value::makeNumber(1), Amf0Value::makeString("x")}),
      date,
      Amf0Value::makeString(std::string(70000, 'L')),
  };
  EXPECT_EQ(values.back().type, Amf0Type::LongString);
  const Bytes bytes = Amf0::encodeAll(values);
  auto back = Amf0::decodeAll(bytes);
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(*back, values);
  EXPECT_EQ(back->at(2).getString("app"), "live");
  EXPECT_EQ(back->at(5).getNumber("width"), 320);
  EXPECT_EQ(back->at(2).get("missing"), nullptr);
}

TEST(Amf0Test, EcmaArrayCountIsOnlyAHint) {
  // count 5, one property, then the end marker.
  const Bytes b{0x08, 0, 0, 0, 5, 0x00, 0x01, 'w', 0x05, 0x00, 0x00, 0x09};
  auto v = Amf0::decodeAll(b);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->at(0).properties.size(), 1u);
}

void expectError(const Bytes& b, base::ErrorCode code, std::string_view words) {
  auto v = Amf0::decodeAll(b);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, code) << v.error().message;
  EXPECT_NE(v.error().message.find(words), std::string::npos) << v.error().message;
}

TEST(Amf0Test, MalformedInputsAreErrors) {
  expectError({0x00, 0x3F}, base::ErrorCode::Truncated, "number");
  expectError({0x02, 0x00, 0x05, 'a'}, base::ErrorCode::Truncated, "string");
  expectError({0x0C, 0xFF, 0xFF, 0xFF, 0xFF}, base::ErrorCode::TooLarge, "kMaxStringSize");
  expectError({0x03, 0x00, 0x01, 'a', 0x05}, base::ErrorCode::Truncated, "");
  expectError({0x03, 0x00, 0x00}, base::ErrorCode::Truncated, "end marker");
  expectError({0x09}, base::ErrorCode::Malformed, "object end");
  expectError({0x11, 0x01}, base::ErrorCode::Unsupported, "17");
  expectError({0x0A, 0xFF, 0xFF, 0xFF, 0xFF}, base::ErrorCode::TooLarge, "kMaxMembers");
  expectError({0x0A, 0x00, 0x00, 0x00, 0x05, 0x05}, base::ErrorCode::Truncated, "strict array");
  expectError({0x01}, base::ErrorCode::Truncated, "boolean");
  expectError({0x0B, 0, 0, 0, 0, 0, 0, 0, 0}, base::ErrorCode::Truncated, "time zone");
}

TEST(Amf0Test, NestingDepthIsLimited) {
  Bytes deep;
  for (std::size_t i = 0; i < Amf0::kMaxDepth + 2; ++i) {
    deep.insert(deep.end(), {0x03, 0x00, 0x01, 'x'});
  }
  deep.push_back(0x05);
  expectError(deep, base::ErrorCode::TooLarge, "kMaxDepth");
  Bytes arrays;
  for (std::size_t i = 0; i < 100000; ++i) arrays.insert(arrays.end(), {0x0A, 0, 0, 0, 1});
  expectError(arrays, base::ErrorCode::TooLarge, "kMaxDepth");
}

TEST(Amf0Test, TooManyValues) {
  const Bytes nulls(Amf0::kMaxValues + 1, 0x05);
  expectError(nulls, base::ErrorCode::TooLarge, "kMaxValues");
}

}  // namespace
}  // namespace ocellus::proto::rtmp
