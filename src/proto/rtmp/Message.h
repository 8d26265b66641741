#pragma once

#include <cstdint>
#include <span>

namespace ocellus::proto::rtmp {

// RTMP message type ids (Adobe RTMP specification 1.0, §5.4 protocol control messages,
// §6.1 user control, §7.1 command/data/audio/video). AMF3 variants are listed so that they
// can be named in errors; this server speaks AMF0 only.
enum class MessageType : std::uint8_t {
  SetChunkSize = 1,
  Abort = 2,
  Acknowledgement = 3,
  UserControl = 4,
  WindowAckSize = 5,
  SetPeerBandwidth = 6,
  Audio = 8,
  Video = 9,
  DataAmf3 = 15,
  SharedObjectAmf3 = 16,
  CommandAmf3 = 17,
  DataAmf0 = 18,
  SharedObjectAmf0 = 19,
  CommandAmf0 = 20,
  Aggregate = 22,
};

// User control event types (§6.2 / §7.1.7).
enum class UserControlEvent : std::uint16_t {
  StreamBegin = 0,
  StreamEof = 1,
  StreamDry = 2,
  SetBufferLength = 3,
  StreamIsRecorded = 4,
  PingRequest = 6,
  PingResponse = 7,
};

// One whole RTMP message as the chunk stream delivered it. The payload is a view into the
// reader's reassembly buffer: valid only during the callback that receives it.
struct Message {
  std::uint32_t chunkStreamId = 0;
  MessageType type{};
  std::uint32_t timestamp = 0;  // absolute, milliseconds, 32-bit wrapping
  std::uint32_t streamId = 0;   // message stream id
  std::span<const std::uint8_t> payload;
};

}  // namespace ocellus::proto::rtmp
