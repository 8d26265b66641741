#include "proto/rtmp/ChunkWriter.h"

#include <gtest/gtest.h>

#include <vector>

#include "proto/rtmp/ChunkReader.h"

namespace ocellus::proto::rtmp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(ChunkWriterTest, Fmt0ThenFmt3) {
  const Bytes payload(300, 0x42);
  const Bytes out = ChunkWriter::encode({6, 1, MessageType::Audio, 0x123456}, payload, 128);
  ASSERT_EQ(out.size(), ChunkWriter::encodedSize(6, 0x123456, 300, 128));
  ASSERT_EQ(out.size(), 12u + 300u + 2u);
  const Bytes header{0x06, 0x12, 0x34, 0x56, 0x00, 0x01, 0x2C, 0x08, 0x01, 0x00, 0x00, 0x00};
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 12), header);
  EXPECT_EQ(out[12 + 128], 0xC6);
  EXPECT_EQ(out[12 + 128 + 1 + 128], 0xC6);
}

TEST(ChunkWriterTest, ExtendedTimestampOnEveryChunk) {
  const Bytes payload(200, 1);
  const Bytes out = ChunkWriter::encode({7, 1, MessageType::Video, 0xFFFFFF}, payload, 128);
  ASSERT_EQ(out.size(), 12u + 4u + 128u + 1u + 4u + 72u);
  EXPECT_EQ(out[1], 0xFF);
  EXPECT_EQ(Bytes(out.begin() + 12, out.begin() + 16), (Bytes{0x00, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(out[16 + 128], 0xC7);
  EXPECT_EQ(Bytes(out.begin() + 16 + 129, out.begin() + 16 + 133), (Bytes{0x00, 0xFF, 0xFF, 0xFF}));
}

TEST(ChunkWriterTest, LongChunkStreamIds) {
  const Bytes one(1, 9);
  EXPECT_EQ(ChunkWriter::encode({64, 0, MessageType::Video, 0}, one, 128)[0], 0x00);
  EXPECT_EQ(ChunkWriter::encode({319, 0, MessageType::Video, 0}, one, 128)[1], 255);
  const Bytes three = ChunkWriter::encode({65599, 0, MessageType::Video, 0}, one, 128);
  EXPECT_EQ(Bytes(three.begin(), three.begin() + 3), (Bytes{0x01, 0xFF, 0xFF}));
}

TEST(ChunkWriterTest, TwoPartPayloadEqualsOnePart) {
  Bytes head{1, 2, 3, 4, 5};
  Bytes body(400);
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<std::uint8_t>(i);
  Bytes joined = head;
  joined.insert(joined.end(), body.begin(), body.end());
  for (const std::uint32_t chunk : {1u, 3u, 5u, 128u, 4096u}) {
    Bytes split;
    ChunkWriter::encode(split, {7, 1, MessageType::Video, 40}, head, body, chunk);
    EXPECT_EQ(split, ChunkWriter::encode({7, 1, MessageType::Video, 40}, joined, chunk)) << chunk;
  }
}

TEST(ChunkWriterTest, ReaderGetsBackWhatWasWritten) {
  for (const std::uint32_t ts : {0u, 1000u, 0xFFFFFEu, 0xFFFFFFu, 0xFFFFFFFFu}) {
    Bytes payload(1000);
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 3);
    const Bytes out = ChunkWriter::encode({300, 5, MessageType::Video, ts}, payload, 128);
    ChunkReader reader;
    int count = 0;
    ASSERT_TRUE(reader
                    .feed(out,
                          [&](const Message& m) {
                            ++count;
                            EXPECT_EQ(m.chunkStreamId, 300u);
                            EXPECT_EQ(m.streamId, 5u);
                            EXPECT_EQ(m.timestamp, ts);
                            EXPECT_EQ(Bytes(m.payload.begin(), m.payload.end()), payload);
                            return base::Status{};
                          })
                    .ok());
    EXPECT_EQ(count, 1);
  }
}

TEST(ChunkWriterTest, EmptyPayloadIsOneHeader) {
  EXPECT_EQ(ChunkWriter::encode({3, 0, MessageType::CommandAmf0, 0}, {}, 128).size(), 12u);
}

}  // namespace
}  // namespace ocellus::proto::rtmp
