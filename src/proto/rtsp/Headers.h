#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::proto::rtsp {

struct Header {
  std::string name;
  std::string value;

  bool operator==(const Header&) const = default;
};

// The header fields of an RTSP message in the order they were written; names compare
// case-insensitively (RFC 2326 §4.2 via RFC 2616 §4.2), values keep their case.
class Headers {
 public:
  // The first value of that name, nullopt when absent.
  std::optional<std::string_view> get(std::string_view name) const;
  // Every value of that name in order (WWW-Authenticate may appear several times).
  std::vector<std::string_view> getAll(std::string_view name) const;
  // Replaces the first field of that name and removes the others; appends when absent.
  void set(std::string_view name, std::string value);
  void add(std::string name, std::string value);
  void remove(std::string_view name);
  // The CSeq field as a number (RFC 2326 §12.17), nullopt when absent or not a number.
  std::optional<std::uint32_t> cseq() const;

  // Appends the fields as "Name: value" lines, then Content-Length for a non-empty body (any
  // Content-Length field is replaced), the blank line and the body. CR, LF and NUL inside
  // names and values become spaces so that no value can split the message.
  void appendWithBody(std::string& out, std::string_view body) const;

  const std::vector<Header>& all() const { return fields_; }
  bool operator==(const Headers&) const = default;

 private:
  std::vector<Header> fields_;
};

}  // namespace ocellus::proto::rtsp
