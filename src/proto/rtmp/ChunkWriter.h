#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "proto/rtmp/Message.h"

namespace ocellus::proto::rtmp {

// The sending half of the RTMP chunk stream (RTMP specification 1.0 §5.3). Every message is
// written as one fmt-0 chunk (absolute timestamp, extended when >= 0xFFFFFF) followed by fmt-3
// continuations that repeat the extended timestamp when the first chunk carried one
// (§5.3.1.3). Using only fmt 0 and 3 makes a message's chunks independent of what was sent
// before on the chunk stream, so a media message can be chunked ONCE per stream and the same
// bytes written to every player that uses the same chunk stream id, message stream id and
// chunk size (DESIGN §3 "encode once"): encode() needs no connection state.
//
// The payload may come in two parts (an FLV tag header and the access unit it precedes), so
// nothing is copied beyond the one copy into the chunked output.
class ChunkWriter {
 public:
  // The chunk stream ids we send on (2 is reserved for protocol control, §5.3.1.1).
  static constexpr std::uint32_t kControlCsid = 2;
  static constexpr std::uint32_t kCommandCsid = 3;
  static constexpr std::uint32_t kDataCsid = 5;
  static constexpr std::uint32_t kAudioCsid = 6;
  static constexpr std::uint32_t kVideoCsid = 7;

  struct Header {
    std::uint32_t chunkStreamId = kCommandCsid;  // 2..65599
    std::uint32_t streamId = 0;                  // message stream id
    MessageType type{};
    std::uint32_t timestamp = 0;
  };

  // Appends the chunks of one message to out. The payload (head then body) must be shorter
  // than 2^24 bytes, the width of the length field; chunkSize is at least 1.
  static void encode(std::vector<std::uint8_t>& out, const Header& header, std::span<const std::uint8_t> head,
                     std::span<const std::uint8_t> body, std::uint32_t chunkSize);
  static std::vector<std::uint8_t> encode(const Header& header, std::span<const std::uint8_t> payload,
                                          std::uint32_t chunkSize);
  // The size encode() produces, for reserving.
  static std::size_t encodedSize(std::uint32_t chunkStreamId, std::uint32_t timestamp, std::size_t payloadSize,
                                 std::uint32_t chunkSize);
};

}  // namespace ocellus::proto::rtmp
