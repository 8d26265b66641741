#include "proto/rtmp/ChunkReader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "proto/rtmp/ChunkWriter.h"

namespace ocellus::proto::rtmp {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct Got {
  std::uint32_t csid;
  MessageType type;
  std::uint32_t timestamp;
  std::uint32_t streamId;
  Bytes payload;
};

struct Collector {
  ChunkReader reader;
  std::vector<Got> got;
  base::Status feed(const Bytes& b) {
    return reader.feed(b, [this](const Message& m) {
      got.push_back({m.chunkStreamId, m.type, m.timestamp, m.streamId, Bytes(m.payload.begin(), m.payload.end())});
      return base::Status{};
    });
  }
};

void u24(Bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 16));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void u32(Bytes& b, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
// A fmt 0 header on a one-byte chunk stream id.
void fmt0(Bytes& b, std::uint8_t csid, std::uint32_t ts, std::uint32_t length, std::uint8_t type, std::uint32_t msid) {
  b.push_back(csid);
  u24(b, ts >= 0xFFFFFF ? 0xFFFFFF : ts);
  u24(b, length);
  b.push_back(type);
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(msid >> (8 * i)));
  if (ts >= 0xFFFFFF) u32(b, ts);
}
void data(Bytes& b, std::size_t n, std::uint8_t v) {
  b.insert(b.end(), n, v);
}
Bytes setChunkSize(std::uint32_t size) {
  Bytes b;
  fmt0(b, 2, 0, 4, 1, 0);
  u32(b, size);
  return b;
}

TEST(ChunkReaderTest, SingleChunkMessage) {
  Collector c;
  Bytes b;
  fmt0(b, 3, 1000, 5, 20, 0);
  data(b, 5, 0xAB);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 1u);
  EXPECT_EQ(c.got[0].csid, 3u);
  EXPECT_EQ(c.got[0].type, MessageType::CommandAmf0);
  EXPECT_EQ(c.got[0].timestamp, 1000u);
  EXPECT_EQ(c.got[0].payload, Bytes(5, 0xAB));
  EXPECT_EQ(c.reader.bytesReceived(), b.size());
}

TEST(ChunkReaderTest, MessageStreamIdIsLittleEndian) {
  Collector c;
  Bytes b;
  fmt0(b, 4, 0, 1, 9, 0x01020304);
  data(b, 1, 0x17);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 1u);
  EXPECT_EQ(c.got[0].streamId, 0x01020304u);
}

TEST(ChunkReaderTest, InterleavedChunkStreamsAndContinuations) {
  // Two 200-byte messages at the default chunk size of 128, their chunks interleaved.
  Collector c;
  Bytes b;
  fmt0(b, 4, 10, 200, 8, 1);  // audio
  data(b, 128, 0xA0);
  fmt0(b, 6, 20, 200, 9, 1);  // video
  data(b, 128, 0xB0);
  b.push_back(0xC0 | 4);  // fmt 3 continuation of audio
  data(b, 72, 0xA1);
  b.push_back(0xC0 | 6);
  data(b, 72, 0xB1);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[0].type, MessageType::Audio);
  EXPECT_EQ(c.got[0].payload.size(), 200u);
  EXPECT_EQ(c.got[0].payload[127], 0xA0);
  EXPECT_EQ(c.got[0].payload[128], 0xA1);
  EXPECT_EQ(c.got[1].type, MessageType::Video);
  EXPECT_EQ(c.got[1].timestamp, 20u);
  EXPECT_EQ(c.got[1].payload[199], 0xB1);
  EXPECT_EQ(c.reader.partialMessages(), 0u);
}

TEST(ChunkReaderTest, Fmt1Fmt2Fmt3Deltas) {
  Collector c;
  Bytes b;
  fmt0(b, 5, 1000, 3, 9, 1);
  data(b, 3, 1);
  b.push_back(0x40 | 5);  // fmt 1: delta 40, new length 2, type 8
  u24(b, 40);
  u24(b, 2);
  b.push_back(8);
  data(b, 2, 2);
  b.push_back(0x80 | 5);  // fmt 2: delta 33
  u24(b, 33);
  data(b, 2, 3);
  b.push_back(0xC0 | 5);  // fmt 3 new message: delta 33 again
  data(b, 2, 4);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 4u);
  EXPECT_EQ(c.got[0].timestamp, 1000u);
  EXPECT_EQ(c.got[1].timestamp, 1040u);
  EXPECT_EQ(c.got[1].type, MessageType::Audio);
  EXPECT_EQ(c.got[1].streamId, 1u);
  EXPECT_EQ(c.got[2].timestamp, 1073u);
  EXPECT_EQ(c.got[3].timestamp, 1106u);
  EXPECT_EQ(c.got[3].payload, Bytes(2, 4));
}

TEST(ChunkReaderTest, ExtendedTimestampRepeatedOnContinuations) {
  Collector c;
  Bytes b;
  const std::uint32_t ts = 0x01234567;
  fmt0(b, 4, ts, 300, 9, 1);
  data(b, 128, 1);
  b.push_back(0xC0 | 4);
  u32(b, ts);  // §5.3.1.3: repeated on the fmt 3 chunk
  data(b, 128, 2);
  b.push_back(0xC0 | 4);
  u32(b, ts);
  data(b, 44, 3);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 1u);
  EXPECT_EQ(c.got[0].timestamp, ts);
  EXPECT_EQ(c.got[0].payload.size(), 300u);
  EXPECT_EQ(c.got[0].payload[299], 3);
}

TEST(ChunkReaderTest, ExtendedDeltaOnFmt1) {
  Collector c;
  Bytes b;
  fmt0(b, 4, 5, 1, 9, 1);
  data(b, 1, 0);
  b.push_back(0x40 | 4);
  u24(b, 0xFFFFFF);
  u24(b, 1);
  b.push_back(9);
  u32(b, 0x02000000);
  data(b, 1, 0);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[1].timestamp, 5u + 0x02000000u);
}

TEST(ChunkReaderTest, TwoAndThreeByteChunkStreamIds) {
  Collector c;
  Bytes b;
  b.push_back(0x00);  // csid 64 + 10
  b.push_back(10);
  u24(b, 0);
  u24(b, 1);
  b.push_back(18);
  u32(b, 0);
  b.push_back(0x5A);
  b.push_back(0x01);  // csid 64 + 0xFFFF = 65599
  b.push_back(0xFF);
  b.push_back(0xFF);
  u24(b, 0);
  u24(b, 1);
  b.push_back(18);
  u32(b, 0);
  b.push_back(0x5B);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[0].csid, 74u);
  EXPECT_EQ(c.got[1].csid, 65599u);
}

TEST(ChunkReaderTest, SetChunkSizeAppliesToFollowingChunks) {
  Collector c;
  Bytes b = setChunkSize(4096);
  fmt0(b, 6, 0, 3000, 9, 1);
  data(b, 3000, 7);
  ASSERT_TRUE(c.feed(b).ok());
  EXPECT_EQ(c.reader.chunkSize(), 4096u);
  ASSERT_EQ(c.got.size(), 1u);  // Set Chunk Size itself is not delivered
  EXPECT_EQ(c.got[0].payload.size(), 3000u);
}

TEST(ChunkReaderTest, EveryByteSplitGivesTheSameMessages) {
  Bytes b = setChunkSize(100);
  std::vector<std::uint8_t> payload(1000);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i);
  ChunkWriter::encode(b, {7, 1, MessageType::Video, 0x1000000}, payload, {}, 100);
  ChunkWriter::encode(b, {6, 1, MessageType::Audio, 33}, std::span(payload).first(10), {}, 100);
  Collector whole;
  ASSERT_TRUE(whole.feed(b).ok());
  ASSERT_EQ(whole.got.size(), 2u);
  Collector bytewise;
  for (const std::uint8_t byte : b) ASSERT_TRUE(bytewise.feed(Bytes{byte}).ok());
  ASSERT_EQ(bytewise.got.size(), 2u);
  EXPECT_EQ(bytewise.got[0].payload, payload);
  EXPECT_EQ(bytewise.got[0].timestamp, 0x1000000u);
  EXPECT_EQ(bytewise.got[1].payload, whole.got[1].payload);
}

TEST(ChunkReaderTest, AbortDropsThePartialMessage) {
  Collector c;
  Bytes b;
  fmt0(b, 4, 0, 200, 9, 1);
  data(b, 128, 1);
  fmt0(b, 2, 0, 4, 2, 0);  // Abort chunk stream 4
  u32(b, 4);
  fmt0(b, 4, 50, 2, 9, 1);  // a fresh message on 4 is fine now
  data(b, 2, 9);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 1u);
  EXPECT_EQ(c.got[0].timestamp, 50u);
}

TEST(ChunkReaderTest, ZeroLengthMessage) {
  Collector c;
  Bytes b;
  fmt0(b, 3, 0, 0, 20, 0);
  ASSERT_TRUE(c.feed(b).ok());
  ASSERT_EQ(c.got.size(), 1u);
  EXPECT_TRUE(c.got[0].payload.empty());
}

base::Error errorOf(const Bytes& b) {
  Collector c;
  auto s = c.feed(b);
  EXPECT_FALSE(s.ok());
  return s.ok() ? base::Error{} : s.error();
}

TEST(ChunkReaderTest, AbsurdChunkSizesAreRefused) {
  for (const std::uint32_t size : {0u, ChunkReader::kMaxChunkSize + 1, 0x7FFFFFFFu, 0x80000000u}) {
    const auto e = errorOf(setChunkSize(size));
    EXPECT_EQ(e.code, base::ErrorCode::TooLarge);
    EXPECT_NE(e.message.find("kMaxChunkSize"), std::string::npos) << e.message;
  }
  Collector ok;
  EXPECT_TRUE(ok.feed(setChunkSize(ChunkReader::kMaxChunkSize)).ok());
}

TEST(ChunkReaderTest, AbsurdMessageSizeIsRefused) {
  Bytes b;
  fmt0(b, 4, 0, ChunkReader::kMaxMessageSize + 1, 9, 1);
  const auto e = errorOf(b);
  EXPECT_EQ(e.code, base::ErrorCode::TooLarge);
  EXPECT_NE(e.message.find("kMaxMessageSize"), std::string::npos);
}

TEST(ChunkReaderTest, TooManyPartialMessagesAreRefused) {
  Bytes b;
  for (std::uint8_t csid = 3; csid < 3 + ChunkReader::kMaxPartialMessages + 1; ++csid) {
    fmt0(b, csid, 0, 1000, 9, 1);
    data(b, 128, 0);
  }
  const auto e = errorOf(b);
  EXPECT_EQ(e.code, base::ErrorCode::TooLarge);
  EXPECT_NE(e.message.find("kMaxPartialMessages"), std::string::npos);
}

TEST(ChunkReaderTest, TooManyPartialBytesAreRefused) {
  Bytes b;
  for (std::uint8_t csid = 3; csid < 6; ++csid) {
    fmt0(b, csid, 0, ChunkReader::kMaxMessageSize, 9, 1);
    data(b, 128, 0);
  }
  const auto e = errorOf(b);
  EXPECT_NE(e.message.find("kMaxPartialBytes"), std::string::npos);
}

TEST(ChunkReaderTest, HeadersWithoutPredecessorAreMalformed) {
  for (const std::uint8_t first : {0x43, 0x83, 0xC3}) {
    Bytes b{first};
    b.resize(12, 0);
    const auto e = errorOf(b);
    EXPECT_EQ(e.code, base::ErrorCode::Malformed);
    EXPECT_NE(e.message.find("no previous header"), std::string::npos) << e.message;
  }
}

TEST(ChunkReaderTest, NewHeaderInsideAMessageIsMalformed) {
  Bytes b;
  fmt0(b, 4, 0, 200, 9, 1);
  data(b, 128, 0);
  fmt0(b, 4, 0, 10, 9, 1);
  const auto e = errorOf(b);
  EXPECT_NE(e.message.find("interrupts"), std::string::npos);
}

TEST(ChunkReaderTest, TooManyChunkStreamIds) {
  Bytes b;
  for (std::uint32_t i = 0; i <= ChunkReader::kMaxChunkStreams; ++i) {
    b.push_back(0x00);
    b.push_back(static_cast<std::uint8_t>(i));
    u24(b, 0);
    u24(b, 0);
    b.push_back(18);
    u32(b, 0);
  }
  const auto e = errorOf(b);
  EXPECT_NE(e.message.find("kMaxChunkStreams"), std::string::npos);
}

TEST(ChunkReaderTest, CallbackErrorStopsFeed) {
  ChunkReader reader;
  Bytes b;
  fmt0(b, 3, 0, 1, 20, 0);
  data(b, 1, 0);
  auto s = reader.feed(b, [](const Message&) { return base::Status(base::makeError(base::ErrorCode::Malformed, "no")); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "no");
}

}  // namespace
}  // namespace ocellus::proto::rtmp
