#include "proto/hls/PlaylistRequest.h"

#include <fmt/format.h>

#include <charconv>

namespace ocellus::proto::hls {
namespace {

constexpr std::size_t kMaxQuerySize = 2048;
constexpr std::size_t kMaxShownValue = 32;

base::Error invalid(std::string_view name, std::string_view value) {
  return base::makeError(base::ErrorCode::InvalidArgument,
                         fmt::format("hls: invalid {} '{}'", name, value.substr(0, kMaxShownValue)));
}

// Decimal-integer (RFC 8216bis §4.2): digits only.
template <typename T>
bool parseDecimal(std::string_view s, T& out) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

base::Result<PlaylistRequest> PlaylistRequest::parse(std::string_view query) {
  if (query.size() > kMaxQuerySize) return base::makeError(base::ErrorCode::TooLarge, "hls: query string too long");
  PlaylistRequest request;
  bool seenSkip = false;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (name == "_HLS_msn") {
      std::uint64_t msn = 0;
      if (request.msn || !parseDecimal(value, msn)) return invalid(name, value);
      request.msn = msn;
    } else if (name == "_HLS_part") {
      std::uint32_t part = 0;
      if (request.part || !parseDecimal(value, part)) return invalid(name, value);
      request.part = part;
    } else if (name == "_HLS_skip") {
      if (seenSkip) return invalid(name, value);
      seenSkip = true;
      if (value == "YES") {
        request.skip = Skip::Yes;
      } else if (value == "v2") {
        request.skip = Skip::V2;
      } else {
        return invalid(name, value);
      }
    }
  }
  if (request.part && !request.msn) {
    return base::makeError(base::ErrorCode::InvalidArgument, "hls: _HLS_part without _HLS_msn");
  }
  return request;
}

}  // namespace ocellus::proto::hls
