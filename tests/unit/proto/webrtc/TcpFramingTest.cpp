#include "proto/webrtc/TcpFraming.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes framed(const Bytes& payload) {
  const auto p = TcpFraming::prefix(payload.size());
  Bytes out(p.begin(), p.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

// Every frame the reader has now, as copies.
std::vector<Bytes> drain(TcpFraming& reader) {
  std::vector<Bytes> out;
  for (;;) {
    auto frame = reader.next();
    EXPECT_TRUE(frame.ok());
    if (!frame.ok() || !*frame) return out;
    out.emplace_back((*frame)->begin(), (*frame)->end());
  }
}

TEST(TcpFramingTest, PrefixIsTheBigEndianLength) {
  EXPECT_EQ(TcpFraming::prefix(1), (std::array<std::uint8_t, 2>{0x00, 0x01}));
  EXPECT_EQ(TcpFraming::prefix(0x0123), (std::array<std::uint8_t, 2>{0x01, 0x23}));
  EXPECT_EQ(TcpFraming::prefix(TcpFraming::kMaxFrame), (std::array<std::uint8_t, 2>{0x08, 0x00}));
}

TEST(TcpFramingTest, MergedFramesComeOutOneByOne) {
  const Bytes a{1, 2, 3}, b(1200, 0xAB), c{9};
  Bytes stream = framed(a);
  for (const auto& f : {b, c}) {
    const auto more = framed(f);
    stream.insert(stream.end(), more.begin(), more.end());
  }
  TcpFraming reader;
  reader.append(stream);
  EXPECT_EQ(drain(reader), (std::vector<Bytes>{a, b, c}));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(TcpFramingTest, FramesSplitAtEveryByteAreReassembled) {
  const Bytes a(300, 0x11), b{7, 8};
  Bytes stream = framed(a);
  const auto more = framed(b);
  stream.insert(stream.end(), more.begin(), more.end());
  TcpFraming reader;
  std::vector<Bytes> got;
  for (const auto byte : stream) {
    reader.append(std::span<const std::uint8_t>(&byte, 1));
    for (auto& f : drain(reader)) got.push_back(std::move(f));
  }
  EXPECT_EQ(got, (std::vector<Bytes>{a, b}));
}

TEST(TcpFramingTest, AnIncompleteFrameWaitsAndStaysBuffered) {
  const Bytes whole = framed(Bytes(100, 0x22));
  TcpFraming reader;
  reader.append(std::span<const std::uint8_t>(whole).first(60));
  EXPECT_TRUE(drain(reader).empty());
  EXPECT_EQ(reader.buffered(), 60u);
  reader.append(std::span<const std::uint8_t>(whole).subspan(60));
  EXPECT_EQ(drain(reader).size(), 1u);
}

TEST(TcpFramingTest, ZeroLengthBreaksTheStream) {
  TcpFraming reader;
  const Bytes stream{0x00, 0x00, 0x00, 0x01, 0x42};
  reader.append(stream);
  const auto first = reader.next();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, base::ErrorCode::Malformed);
  // Nothing after a broken frame is trusted, even a well-formed one.
  EXPECT_FALSE(reader.next().ok());
}

TEST(TcpFramingTest, OversizedLengthBreaksTheStreamBeforeItsBytesArrive) {
  TcpFraming reader;
  const auto p = TcpFraming::prefix(TcpFraming::kMaxFrame + 1);
  reader.append(p);
  const auto frame = reader.next();
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, base::ErrorCode::TooLarge);
  const Bytes largest = framed(Bytes(TcpFraming::kMaxFrame, 0x33));
  TcpFraming ok;
  ok.append(largest);
  EXPECT_EQ(drain(ok).size(), 1u);
}

}  // namespace
}  // namespace ocellus::proto::webrtc
