#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "proto/rtsp/Request.h"
#include "proto/rtsp/Response.h"

namespace ocellus::proto::rtsp {

// RFC 2326 §10.12: "$", channel, 16-bit big-endian length, then the data (an RTP or RTCP
// packet) on the RTSP connection itself. `payload` points into the parser's buffer.
struct InterleavedFrame {
  std::uint8_t channel = 0;
  std::span<const std::uint8_t> payload;
};

// The byte stream cannot be parsed any further. `status` is what a server answers before it
// closes the connection: 400, 413 (body), 414 (start line), 431 (header block) or 505 (version).
struct ParseError {
  int status = 400;
  std::string message;
};

// Every byte fed so far has been turned into events.
struct NeedMore {};

// Incremental parser for one RTSP connection (sans-I/O: bytes in, events out). The stream may
// carry requests and responses in either direction (servers send requests too, RFC 2326 §10)
// mixed with interleaved binary frames, so one parser serves both the server and the client.
// Usage: feed() what was received, then call next() until it returns NeedMore.
// After a ParseError every next() returns it again: answer it and close.
// Bytes of an incomplete message are examined once however the stream is split.
class Parser {
 public:
  static constexpr std::size_t kMaxStartLine = 4 * 1024;
  static constexpr std::size_t kMaxHeaderBlock = 16 * 1024;  // start line, fields and blank line
  static constexpr std::size_t kMaxHeaderLines = 64;         // header fields, folded lines included
  static constexpr std::size_t kMaxBody = 64 * 1024;

  using Event = std::variant<NeedMore, Request, Response, InterleavedFrame, ParseError>;

  // Appends received bytes. Invalidates the payload spans of frames returned earlier.
  void feed(std::span<const std::uint8_t> bytes);
  // Space for `size` bytes to receive into directly (no copy), then commit() what arrived.
  // Invalidates the payload spans of frames returned earlier.
  std::span<std::uint8_t> prepare(std::size_t size);
  void commit(std::size_t size);

  // The next complete message or frame, NeedMore, or the ParseError.
  Event next();

 private:
  using Message = std::variant<Request, Response>;

  Event fail(int status, std::string message);
  Event parseHead(std::span<const std::uint8_t> head, std::size_t headSize);
  Event finishBody();
  void consume(std::size_t n);

  std::vector<std::uint8_t> buffer_;
  std::size_t begin_ = 0;           // first byte not consumed
  std::size_t end_ = 0;             // one past the last byte received
  std::size_t scan_ = 0;            // head scan position, relative to begin_ (0: no message started)
  std::size_t lineStart_ = 0;       // start of the line being scanned, relative to begin_
  std::size_t lines_ = 0;           // complete head lines scanned
  std::optional<Message> pending_;  // head parsed, body not complete yet
  std::size_t bodyLength_ = 0;
  std::optional<ParseError> error_;
};

}  // namespace ocellus::proto::rtsp
