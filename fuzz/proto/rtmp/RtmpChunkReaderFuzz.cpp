// Feeds arbitrary bytes to a chunk reader, split at a point the input chooses. Every message
// it delivers is re-chunked by ChunkWriter at the reader's chunk size and read back by a fresh
// reader (after the same Set Chunk Size): it must come back identical. Feeding the same bytes
// whole or split must deliver the same messages and the same verdict.
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "base/ByteWriter.h"
#include "proto/rtmp/ChunkReader.h"
#include "proto/rtmp/ChunkWriter.h"

using namespace ocellus::proto::rtmp;
using ocellus::base::Status;

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}

struct Copy {
  std::uint32_t csid;
  MessageType type;
  std::uint32_t timestamp;
  std::uint32_t streamId;
  std::uint32_t chunkSize;
  std::vector<std::uint8_t> payload;
};

bool run(std::span<const std::uint8_t> input, std::size_t split, std::vector<Copy>& got) {
  ChunkReader reader;
  const auto onMessage = [&](const Message& m) {
    check(m.payload.size() <= ChunkReader::kMaxMessageSize);
    check(m.chunkStreamId >= 2 && m.chunkStreamId <= ChunkReader::kMaxChunkStreamId);
    got.push_back({m.chunkStreamId, m.type, m.timestamp, m.streamId, reader.chunkSize(),
                   std::vector<std::uint8_t>(m.payload.begin(), m.payload.end())});
    return Status{};
  };
  if (!reader.feed(input.first(split), onMessage)) return false;
  if (!reader.feed(input.subspan(split), onMessage)) return false;
  check(reader.bytesReceived() == input.size());
  check(reader.partialMessages() <= ChunkReader::kMaxPartialMessages);
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  std::vector<Copy> whole;
  std::vector<Copy> split;
  const bool okWhole = run(input, size, whole);
  const bool okSplit = run(input, size / 2, split);
  check(okWhole == okSplit);
  check(whole.size() == split.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    check(whole[i].payload == split[i].payload && whole[i].timestamp == split[i].timestamp);
  }
  for (const Copy& m : whole) {
    std::vector<std::uint8_t> bytes;
    if (m.chunkSize != ChunkReader::kDefaultChunkSize) {
      ocellus::base::ByteWriter w(bytes);
      std::vector<std::uint8_t> body;
      ocellus::base::ByteWriter(body).u32(m.chunkSize);
      ChunkWriter::encode(bytes, {2, 0, MessageType::SetChunkSize, 0}, body, {}, 128);
    }
    if (m.payload.size() > 64 * 1024) continue;  // keep each run fast
    ChunkWriter::encode(bytes, {m.csid, m.streamId, m.type, m.timestamp}, m.payload, {}, m.chunkSize);
    check(bytes.size() >= ChunkWriter::encodedSize(m.csid, m.timestamp, m.payload.size(), m.chunkSize));
    ChunkReader again;
    int count = 0;
    const bool ok = again
                        .feed(bytes,
                              [&](const Message& back) {
                                ++count;
                                check(back.chunkStreamId == m.csid && back.type == m.type);
                                check(back.timestamp == m.timestamp && back.streamId == m.streamId);
                                check(std::equal(back.payload.begin(), back.payload.end(), m.payload.begin(),
                                                 m.payload.end()));
                                return Status{};
                              })
                        .ok();
    // Set Chunk Size and Abort are consumed by the reader, so they come back as nothing.
    const bool control = m.type == MessageType::SetChunkSize || m.type == MessageType::Abort;
    check(control || (ok && count == 1));
  }
  return 0;
}
