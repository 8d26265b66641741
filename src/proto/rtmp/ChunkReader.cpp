#include "proto/rtmp/ChunkReader.h"

#include <algorithm>
#include <string>

#include "base/ByteReader.h"

namespace ocellus::proto::rtmp {
namespace {

constexpr std::uint32_t kExtendedMarker = 0xFFFFFF;
constexpr std::size_t kMessageHeaderSize[4] = {11, 7, 3, 0};
// A reassembly buffer larger than this is released after its message rather than kept.
constexpr std::size_t kKeptCapacity = 64 * 1024;

base::Error violation(base::ErrorCode code, const std::string& what) {
  return base::makeError(code, "rtmp chunk stream: " + what);
}

std::size_t basicHeaderSize(std::uint8_t first) {
  const std::uint8_t low = first & 0x3F;
  return low == 0 ? 2 : low == 1 ? 3 : 1;
}

std::uint32_t u24(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 16 | std::uint32_t{p[1]} << 8 | p[2];
}
std::uint32_t u32be(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
std::uint32_t u32le(const std::uint8_t* p) {
  return std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0];
}

}  // namespace

std::size_t ChunkReader::partialMessages() const {
  return static_cast<std::size_t>(
      std::count_if(streams_.begin(), streams_.end(), [](const ChunkStream& cs) { return cs.inProgress; }));
}

base::Result<ChunkReader::ChunkStream*> ChunkReader::stream(std::uint32_t id) {
  for (ChunkStream& cs : streams_) {
    if (cs.id == id) return &cs;
  }
  if (streams_.size() == kMaxChunkStreams) {
    return violation(base::ErrorCode::TooLarge, "more than kMaxChunkStreams (" +
                                                    std::to_string(kMaxChunkStreams) + ") chunk stream ids in use");
  }
  // Reserved once so that pointers to chunk streams stay valid.
  if (streams_.empty()) streams_.reserve(kMaxChunkStreams);
  streams_.push_back(ChunkStream{});
  streams_.back().id = id;
  return &streams_.back();
}

std::size_t ChunkReader::headerSize() const {
  if (headerHave_ == 0) return 1;
  const std::size_t basic = basicHeaderSize(header_[0]);
  if (headerHave_ < basic) return basic;
  const unsigned fmt = header_[0] >> 6;
  const std::size_t withMessage = basic + kMessageHeaderSize[fmt];
  if (headerHave_ < withMessage) return withMessage;
  bool extended = false;
  if (fmt < 3) {
    extended = u24(&header_[basic]) == kExtendedMarker;
  } else {
    std::uint32_t id = header_[0] & 0x3F;
    if (basic == 2) id = 64 + header_[1];
    if (basic == 3) id = 64 + header_[1] + 256u * header_[2];
    for (const ChunkStream& cs : streams_) {
      if (cs.id == id) extended = cs.extended;
    }
  }
  return withMessage + (extended ? 4 : 0);
}

base::Status ChunkReader::parseHeader(std::span<const std::uint8_t> h, std::size_t basic) {
  const unsigned fmt = h[0] >> 6;
  std::uint32_t id = h[0] & 0x3F;
  if (basic == 2) id = 64 + h[1];
  if (basic == 3) id = 64 + h[1] + 256u * h[2];
  auto found = stream(id);
  if (!found) return found.error();
  ChunkStream& cs = **found;
  const std::uint8_t* m = h.data() + basic;
  const std::string name = "chunk stream " + std::to_string(id);

  if (fmt != 3 && cs.inProgress) {
    return violation(base::ErrorCode::Malformed,
                     "a fmt " + std::to_string(fmt) + " header on " + name + " interrupts an unfinished message");
  }
  if (fmt != 0 && !cs.started) {
    return violation(base::ErrorCode::Malformed,
                     "a fmt " + std::to_string(fmt) + " header on " + name + " has no previous header to extend");
  }
  if (fmt < 3) {
    const std::uint32_t field = u24(m);
    cs.extended = field == kExtendedMarker;
    const std::uint32_t value = cs.extended ? u32be(m + kMessageHeaderSize[fmt]) : field;
    if (fmt >= 1) {
      cs.delta = value;
      cs.timestamp += value;
    } else {
      cs.delta = value;
      cs.timestamp = value;
    }
    if (fmt <= 1) {
      cs.length = u24(m + 3);
      cs.type = m[6];
    }
    if (fmt == 0) cs.streamId = u32le(m + 7);
  } else if (!cs.inProgress) {
    // A fmt-3 chunk that opens a new message: same header, advanced by the last delta.
    if (cs.extended) cs.delta = u32be(m);
    cs.timestamp += cs.delta;
  }
  cs.started = true;

  if (!cs.inProgress) {
    if (cs.length > kMaxMessageSize) {
      return violation(base::ErrorCode::TooLarge, "a message of " + std::to_string(cs.length) + " bytes on " + name +
                                                      " exceeds kMaxMessageSize (" +
                                                      std::to_string(kMaxMessageSize) + ")");
    }
    if (partialMessages() >= kMaxPartialMessages) {
      return violation(base::ErrorCode::TooLarge, "more than kMaxPartialMessages (" +
                                                      std::to_string(kMaxPartialMessages) +
                                                      ") messages unfinished at once");
    }
    if (partialBytes_ + cs.length > kMaxPartialBytes) {
      return violation(base::ErrorCode::TooLarge, "unfinished messages would exceed kMaxPartialBytes (" +
                                                      std::to_string(kMaxPartialBytes) + ")");
    }
    partialBytes_ += cs.length;
    cs.inProgress = true;
    cs.received = 0;
  }
  current_ = &cs;
  chunkLeft_ = std::min(chunkSize_, cs.length - cs.received);
  return {};
}

base::Status ChunkReader::deliver(ChunkStream& cs, const OnMessage& onMessage) {
  cs.inProgress = false;
  partialBytes_ -= cs.length;
  Message message{cs.id, static_cast<MessageType>(cs.type), cs.timestamp, cs.streamId, cs.payload};
  base::Status status = (cs.type == static_cast<std::uint8_t>(MessageType::SetChunkSize) ||
                         cs.type == static_cast<std::uint8_t>(MessageType::Abort))
                            ? control(message)
                            : onMessage(message);
  cs.payload.clear();
  if (cs.payload.capacity() > kKeptCapacity) cs.payload = {};
  return status;
}

base::Status ChunkReader::control(const Message& m) {
  if (m.payload.size() < 4) {
    return violation(base::ErrorCode::Malformed, "a Set Chunk Size or Abort message shorter than 4 bytes");
  }
  const std::uint32_t value = u32be(m.payload.data());
  if (m.type == MessageType::SetChunkSize) {
    // §5.4.1: the top bit is zero; the size is at least 1.
    if (value == 0 || value > kMaxChunkSize) {
      return violation(base::ErrorCode::TooLarge, "Set Chunk Size " + std::to_string(value) +
                                                      " is outside 1..kMaxChunkSize (" +
                                                      std::to_string(kMaxChunkSize) + ")");
    }
    chunkSize_ = value;
    return {};
  }
  // Abort (§5.4.2): drop the partial message of that chunk stream, if any.
  for (ChunkStream& cs : streams_) {
    if (cs.id == value && cs.inProgress && &cs != current_) {
      cs.inProgress = false;
      partialBytes_ -= cs.length;
      cs.payload.clear();
    }
  }
  return {};
}

base::Status ChunkReader::feed(std::span<const std::uint8_t> input, const OnMessage& onMessage) {
  bytesReceived_ += input.size();
  std::size_t pos = 0;
  while (pos < input.size()) {
    if (phase_ == Phase::Header) {
      std::size_t need = headerSize();
      while (headerHave_ < need && pos < input.size()) {
        header_[headerHave_++] = input[pos++];
        need = headerSize();
      }
      if (headerHave_ < need) return {};
      const std::size_t basic = basicHeaderSize(header_[0]);
      headerHave_ = 0;
      OCELLUS_TRY(parseHeader(std::span<const std::uint8_t>(header_).first(need), basic));
      ChunkStream& cs = *current_;
      // A message in one chunk that arrived whole is delivered from the input, uncopied.
      if (cs.received == 0 && chunkLeft_ == cs.length && input.size() - pos >= cs.length) {
        cs.received = cs.length;
        const auto whole = input.subspan(pos, cs.length);
        pos += cs.length;
        cs.inProgress = false;
        partialBytes_ -= cs.length;
        Message message{cs.id, static_cast<MessageType>(cs.type), cs.timestamp, cs.streamId, whole};
        OCELLUS_TRY((cs.type == static_cast<std::uint8_t>(MessageType::SetChunkSize) ||
                     cs.type == static_cast<std::uint8_t>(MessageType::Abort))
                        ? control(message)
                        : onMessage(message));
        continue;
      }
      if (cs.received == 0) cs.payload.reserve(cs.length);
      phase_ = Phase::Payload;
    }
    ChunkStream& cs = *current_;
    const std::size_t take = std::min<std::size_t>(chunkLeft_, input.size() - pos);
    cs.payload.insert(cs.payload.end(), input.begin() + static_cast<std::ptrdiff_t>(pos),
                      input.begin() + static_cast<std::ptrdiff_t>(pos + take));
    pos += take;
    chunkLeft_ -= static_cast<std::uint32_t>(take);
    cs.received += static_cast<std::uint32_t>(take);
    if (chunkLeft_ != 0) return {};
    phase_ = Phase::Header;
    if (cs.received == cs.length) OCELLUS_TRY(deliver(cs, onMessage));
  }
  return {};
}

}  // namespace ocellus::proto::rtmp
