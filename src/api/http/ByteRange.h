#pragma once

#include <cstdint>
#include <string_view>

namespace ocellus::api::http {

// A Range request header read against a resource of known size (RFC 9110 §14.1.2, §14.2).
// Only a single range is served: a header naming several (or another unit, or bad syntax) is
// ignored and the whole resource is sent, which §14.2 allows. Pure.
struct ByteRange {
  enum class Kind {
    Whole,          // no usable Range: 200 with everything
    Partial,        // 206 with Content-Range: bytes first-last/size
    Unsatisfiable,  // 416 with Content-Range: bytes */size
  };
  Kind kind = Kind::Whole;
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive

  std::uint64_t length() const { return last - first + 1; }

  // "bytes=a-b", "bytes=a-", "bytes=-n".
  static ByteRange parse(std::string_view header, std::uint64_t size);
};

}  // namespace ocellus::api::http
