#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "base/Result.h"
#include "proto/rtmp/Message.h"

namespace ocellus::proto::rtmp {

// The receiving half of the RTMP chunk stream (RTMP specification 1.0 §5.3), sans I/O:
// bytes in, whole messages out. Each chunk is
//
//   basic header (1-3 bytes)   fmt (2 bits) + chunk stream id: 2..63 in the byte,
//                              0 → 64 + next byte, 1 → 64 + next two bytes (little-endian)
//   message header (11/7/3/0)  fmt 0: timestamp(3) length(3) type(1) stream id(4, LE)
//                              fmt 1: delta(3) length(3) type(1); fmt 2: delta(3); fmt 3: none
//   extended timestamp (0/4)   when the 3-byte field is 0xFFFFFF; repeated on fmt 3 chunks
//                              of a chunk stream whose last header used it (§5.3.1.3)
//   chunk data                 up to the peer's chunk size of the message's payload
//
// State is kept per chunk stream id; messages on different chunk streams may interleave.
// A fmt-3 chunk that starts a message repeats the previous header with the timestamp
// advanced by the previous delta (for a fmt-0 predecessor, by its timestamp field, as FFmpeg
// and SRS do). Set Chunk Size and Abort are handled here and not delivered; every other
// message, protocol control included, goes to the callback.
//
// Any violation (a limit below, a fmt 1/2/3 chunk with no predecessor, a malformed control
// message) is an error after which the reader must not be fed again: the caller closes the
// connection. Memory is bounded by the limits, whatever the peer sends.
class ChunkReader {
 public:
  // The spec allows chunk sizes up to 0x7FFFFFFF; no sane peer uses more than a few 64 KiB.
  static constexpr std::uint32_t kMaxChunkSize = 16 * 1024 * 1024;
  // A message longer than this (a 4K keyframe is well under 2 MiB) ends the connection.
  static constexpr std::uint32_t kMaxMessageSize = 8 * 1024 * 1024;
  // Messages being reassembled at once (one per chunk stream), and their bytes together.
  static constexpr std::size_t kMaxPartialMessages = 16;
  static constexpr std::size_t kMaxPartialBytes = 16 * 1024 * 1024;
  // Distinct chunk stream ids remembered (each keeps its last header for fmt 1/2/3).
  static constexpr std::size_t kMaxChunkStreams = 64;
  static constexpr std::uint32_t kDefaultChunkSize = 128;  // §5.4.1
  static constexpr std::uint32_t kMaxChunkStreamId = 65599;

  // Called once per whole message; the payload is valid during the call only. Returning an
  // error stops feed() with that error. The callee may not call feed() from inside.
  using OnMessage = std::function<base::Status(const Message&)>;

  base::Status feed(std::span<const std::uint8_t> input, const OnMessage& onMessage);

  std::uint32_t chunkSize() const { return chunkSize_; }
  // Every byte fed so far (handshake excluded), for acknowledgements (§5.4.3).
  std::uint64_t bytesReceived() const { return bytesReceived_; }
  // Messages being reassembled now.
  std::size_t partialMessages() const;

 private:
  struct ChunkStream {
    std::uint32_t id = 0;
    std::uint32_t timestamp = 0;  // of the current or last message
    std::uint32_t delta = 0;      // the last timestamp field (absolute for fmt 0)
    std::uint32_t length = 0;
    std::uint32_t streamId = 0;
    std::uint8_t type = 0;
    bool extended = false;  // the last header carried an extended timestamp
    bool started = false;   // a header was seen on this chunk stream
    std::vector<std::uint8_t> payload;  // the partial message; empty between messages
    std::uint32_t received = 0;         // bytes of the current message so far
    bool inProgress = false;
  };

  base::Status parseHeader(std::span<const std::uint8_t> header, std::size_t basicSize);
  base::Status deliver(ChunkStream& cs, const OnMessage& onMessage);
  base::Status control(const Message& m);
  base::Result<ChunkStream*> stream(std::uint32_t id);
  // Bytes of header needed after the first byte(s) read so far; 0 if still unknown.
  std::size_t headerSize() const;

  enum class Phase { Header, Payload };
  Phase phase_ = Phase::Header;
  std::array<std::uint8_t, 3 + 11 + 4> header_{};
  std::size_t headerHave_ = 0;
  ChunkStream* current_ = nullptr;  // the chunk stream whose payload is being read
  std::uint32_t chunkLeft_ = 0;     // payload bytes left in the current chunk
  std::uint32_t chunkSize_ = kDefaultChunkSize;
  std::uint64_t bytesReceived_ = 0;
  std::size_t partialBytes_ = 0;
  std::vector<ChunkStream> streams_;
};

}  // namespace ocellus::proto::rtmp
