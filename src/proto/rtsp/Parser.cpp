#include "proto/rtsp/Parser.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {
namespace {

constexpr std::string_view kVersion = "RTSP/1.0";

// RFC 2616 §2.2 token characters: visible ASCII except separators.
bool isTokenChar(std::uint8_t c) {
  return c > 0x20 && c < 0x7f &&
         std::string_view("()<>@,;:\\\"/[]?={}").find(static_cast<char>(c)) == std::string_view::npos;
}

bool isToken(std::string_view s) {
  return !s.empty() &&
         std::ranges::all_of(s, [](char c) { return isTokenChar(static_cast<std::uint8_t>(c)); });
}

}  // namespace

void Parser::feed(std::span<const std::uint8_t> bytes) {
  auto space = prepare(bytes.size());
  if (!bytes.empty()) std::memcpy(space.data(), bytes.data(), bytes.size());
  commit(bytes.size());
}

std::span<std::uint8_t> Parser::prepare(std::size_t size) {
  if (buffer_.size() - end_ < size) {
    if (begin_ > 0) {
      // Move the unconsumed tail to the front; scan offsets are relative to begin_ and survive.
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() - end_ < size) buffer_.resize(end_ + size);
  }
  return {buffer_.data() + end_, size};
}

void Parser::commit(std::size_t size) {
  end_ += std::min(size, buffer_.size() - end_);
}

Parser::Event Parser::fail(int status, std::string message) {
  error_ = ParseError{status, std::move(message)};
  return *error_;
}

void Parser::consume(std::size_t n) {
  begin_ += n;
  scan_ = lineStart_ = lines_ = 0;
}

Parser::Event Parser::next() {
  if (error_) return *error_;
  if (pending_) return finishBody();
  if (scan_ == 0) {
    // RFC 2616 §4.1: ignore empty lines before a message (some clients send CRLF keep-alives).
    while (begin_ < end_ && (buffer_[begin_] == '\r' || buffer_[begin_] == '\n')) ++begin_;
  }
  const std::span<const std::uint8_t> data(buffer_.data() + begin_, end_ - begin_);
  if (data.empty()) return NeedMore{};

  if (scan_ == 0 && data[0] == '$') {
    if (data.size() < 4) return NeedMore{};
    const std::size_t length = (static_cast<std::size_t>(data[2]) << 8) | data[3];
    if (data.size() < 4 + length) return NeedMore{};
    InterleavedFrame frame{data[1], data.subspan(4, length)};
    consume(4 + length);
    return frame;
  }
  if (scan_ == 0 && !isTokenChar(data[0])) return fail(400, "garbage where a message should start");

  // Find the blank line that ends the head, checking the limits line by line.
  while (scan_ < data.size()) {
    const auto* nl =
        static_cast<const std::uint8_t*>(std::memchr(data.data() + scan_, '\n', data.size() - scan_));
    if (!nl) {
      scan_ = data.size();
      break;
    }
    const std::size_t lineEnd = static_cast<std::size_t>(nl - data.data());
    std::size_t length = lineEnd - lineStart_;
    if (length > 0 && data[lineEnd - 1] == '\r') --length;
    scan_ = lineEnd + 1;
    if (lines_ == 0 && length > kMaxStartLine) return fail(414, "start line longer than 4 KiB");
    if (scan_ > kMaxHeaderBlock) return fail(431, "header block larger than 16 KiB");
    if (length == 0) return parseHead(data.first(lineStart_), scan_);
    if (++lines_ > kMaxHeaderLines + 1) return fail(431, "more than 64 header lines");
    lineStart_ = scan_;
  }
  if (lines_ == 0 && scan_ > kMaxStartLine) return fail(414, "start line longer than 4 KiB");
  if (scan_ > kMaxHeaderBlock) return fail(431, "header block larger than 16 KiB");
  return NeedMore{};
}

Parser::Event Parser::parseHead(std::span<const std::uint8_t> head, std::size_t headSize) {
  std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
  // A NUL, or a CR inside a line, could smuggle a line break past a downstream parser.
  if (text.find('\0') != std::string_view::npos) return fail(400, "NUL in message head");
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) return fail(400, "CR inside a line");
    lines.push_back(line);
    text.remove_prefix(nl + 1);  // every head line ends with '\n'
  }

  Message message;
  const std::string_view start = lines.front();
  Headers* headers = nullptr;
  if (start.starts_with("RTSP/")) {
    // Status-Line = RTSP-Version SP Status-Code SP Reason-Phrase (RFC 2326 §7.1)
    const auto sp = start.find(' ');
    if (start.substr(0, sp) != kVersion) return fail(505, "unsupported RTSP version");
    const std::string_view rest = sp == std::string_view::npos ? std::string_view() : start.substr(sp + 1);
    const auto code = rest.size() >= 3 ? parseUnsigned<std::uint16_t>(rest.substr(0, 3)) : std::nullopt;
    if (!code || *code < 100 || (rest.size() > 3 && rest[3] != ' ')) return fail(400, "bad status line");
    Response& response = message.emplace<Response>();
    response.status = *code;
    response.reason = rest.size() > 4 ? std::string(rest.substr(4)) : std::string();
    headers = &response.headers;
  } else {
    // Request-Line = Method SP Request-URI SP RTSP-Version (RFC 2326 §6.1)
    const auto sp1 = start.find(' ');
    const auto sp2 = start.rfind(' ');
    if (sp1 == std::string_view::npos || sp1 == sp2) return fail(400, "bad request line");
    const std::string_view method = start.substr(0, sp1);
    const std::string_view uri = start.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = start.substr(sp2 + 1);
    if (!isToken(method) || uri.empty() || uri.find_first_of(" \t") != std::string_view::npos) {
      return fail(400, "bad request line");
    }
    if (version != kVersion) return fail(version.starts_with("RTSP/") ? 505 : 400, "unsupported version");
    Request& request = message.emplace<Request>();
    request.method = std::string(method);
    request.uri = std::string(uri);
    headers = &request.headers;
  }

  std::vector<Header> fields;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') {
      // Obsolete line folding (RFC 2616 §2.2): the line continues the previous value.
      if (fields.empty()) return fail(400, "continuation line without a header");
      const std::string_view more = trim(line);
      if (!more.empty())
        fields.back().value += fields.back().value.empty() ? std::string(more) : " " + std::string(more);
      continue;
    }
    const auto colon = line.find(':');
    const std::string_view name = trim(line.substr(0, colon));
    if (colon == std::string_view::npos || !isToken(name)) return fail(400, "bad header line");
    fields.push_back({std::string(name), std::string(trim(line.substr(colon + 1)))});
  }

  std::optional<std::string_view> contentLength;
  for (const auto& f : fields) {
    if (!iequals(f.name, "Content-Length")) continue;
    if (contentLength && *contentLength != f.value) return fail(400, "conflicting Content-Length");
    contentLength = f.value;
  }
  std::size_t length = 0;
  if (contentLength) {
    if (contentLength->empty() ||
        !std::ranges::all_of(*contentLength, [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(400, "bad Content-Length");
    }
    // Nine digits cannot overflow; longer values, even zero-padded, are refused as too large.
    length = contentLength->size() > 9 ? kMaxBody + 1 : *parseUnsigned<std::size_t>(*contentLength);
    if (length > kMaxBody) return fail(413, "body larger than 64 KiB");
  }
  for (auto& f : fields) headers->add(std::move(f.name), std::move(f.value));

  consume(headSize);
  pending_ = std::move(message);
  bodyLength_ = length;
  return finishBody();
}

Parser::Event Parser::finishBody() {
  if (end_ - begin_ < bodyLength_) return NeedMore{};
  std::string body(reinterpret_cast<const char*>(buffer_.data() + begin_), bodyLength_);
  consume(bodyLength_);
  Message message = std::move(*pending_);
  pending_.reset();
  return std::visit(
      [&](auto& m) -> Event {
        m.body = std::move(body);
        return std::move(m);
      },
      message);
}

}  // namespace ocellus::proto::rtsp
