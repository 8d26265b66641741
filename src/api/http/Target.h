#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Result.h"

namespace ocellus::api::http {

// A request target split into its path and query and percent-decoded (RFC 3986 §2.1, §3.3,
// §3.4). Accepts origin-form ("/a/b?x=1"), absolute-form ("http://host/a/b?x=1", whose
// authority is dropped) and the asterisk-form "*" (path "*") of RFC 9112 §3.2. Pure: no I/O.
struct Target {
  std::string rawPath;  // before '?', still encoded: the router splits it before decoding
  std::string path;     // decoded; never contains NUL
  std::vector<std::pair<std::string, std::string>> query;  // decoded, '+' read as a space

  // Errors (ErrorCode::Malformed): empty target, a path not starting with '/', a bad
  // %-escape, or an escape that decodes to NUL.
  static base::Result<Target> parse(std::string_view target);
};

// Decodes %XX escapes; with plusIsSpace, '+' becomes ' ' (HTML form encoding of query
// strings). nullopt on a truncated or non-hex escape, or on %00 (or a raw NUL).
std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace = false);
// The same, appended to `out`, which grows by at most text.size(): false where percentDecode
// gives nullopt, `out` then holding part of the decoding. Runs without escapes are copied
// whole, so plain text costs one scan and one copy.
bool appendPercentDecoded(std::string& out, std::string_view text, bool plusIsSpace = false);

// Calls visit(segment) for each non-empty segment of a path, still encoded, in order:
// "/a//b/" visits "a", then "b". The views point into rawPath.
template <typename Visit>
void forEachSegment(std::string_view rawPath, Visit&& visit) {
  std::size_t pos = 0;
  while (pos < rawPath.size()) {
    const std::size_t slash = rawPath.find('/', pos);
    const std::size_t end = slash == std::string_view::npos ? rawPath.size() : slash;
    if (end > pos) visit(rawPath.substr(pos, end - pos));
    pos = end + 1;
  }
}

// The non-empty segments of a path, still encoded: "/a//b/" → {"a", "b"}.
std::vector<std::string_view> splitPath(std::string_view rawPath);

}  // namespace ocellus::api::http
