#include "proto/hls/ResourceName.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>

namespace ocellus::proto::hls {
namespace {

constexpr std::size_t kMaxNameSize = 64;

// A canonical decimal number: digits only, no leading zero unless it is "0", within T's range.
template <typename T>
bool parseNumber(std::string_view s, T& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool stripAffixes(std::string_view& s, std::string_view prefix, std::string_view suffix) {
  if (s.size() < prefix.size() + suffix.size() || !s.starts_with(prefix) || !s.ends_with(suffix)) return false;
  s = s.substr(prefix.size(), s.size() - prefix.size() - suffix.size());
  return true;
}

}  // namespace

std::string segmentName(std::uint64_t msn) { return fmt::format("seg{}.mp4", msn); }
std::string partName(std::uint64_t number) { return fmt::format("part{}.mp4", number); }

base::Result<Resource> parseResourceName(std::string_view name) {
  const auto notFound = [name] {
    return base::makeError(base::ErrorCode::NotFound,
                           fmt::format("hls: no resource named '{}'", name.substr(0, kMaxNameSize)));
  };
  if (name.size() > kMaxNameSize) return notFound();
  if (name == kMultivariantName) return Resource{ResourceKind::Multivariant};
  if (name == kMediaPlaylistName) return Resource{ResourceKind::MediaPlaylist};
  if (name == kInitName) return Resource{ResourceKind::Init};
  for (const auto& [prefix, kind] : {std::pair{"seg", ResourceKind::Segment}, std::pair{"part", ResourceKind::Part}}) {
    std::string_view rest = name;
    if (!stripAffixes(rest, prefix, ".mp4")) continue;
    Resource r{kind, 0};
    if (!parseNumber(rest, r.number)) return notFound();
    return r;
  }
  return notFound();
}

}  // namespace ocellus::proto::hls
