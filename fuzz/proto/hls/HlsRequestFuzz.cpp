// Splits arbitrary text into a request path and a query at the first '?', parses both, and
// checks that a parsed resource's canonical name parses back to it and that a parsed playlist
// request (and a part's GET) gets a decision and a playlist (a delta update with _HLS_skip)
// from a small ring without anything going wrong.
#include <cstdlib>
#include <string_view>

#include "proto/hls/Playlist.h"
#include "proto/hls/PlaylistRequest.h"
#include "proto/hls/ResourceName.h"
#include "proto/hls/SegmentRing.h"

using namespace ocellus::proto::hls;
using namespace std::chrono_literals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto q = text.find('?');
  const std::string_view path = text.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view{} : text.substr(q + 1);

  const auto resource = parseResourceName(path);
  if (resource) {
    std::string name;
    switch (resource->kind) {
      case ResourceKind::Multivariant: name = kMultivariantName; break;
      case ResourceKind::MediaPlaylist: name = kMediaPlaylistName; break;
      case ResourceKind::Init: name = kInitName; break;
      case ResourceKind::Segment: name = segmentName(resource->number); break;
      case ResourceKind::Part: name = partName(resource->number); break;
    }
    if (name != path) std::abort();
  }

  auto request = PlaylistRequest::parse(query);
  if (!request) {
    if (request.error().message.empty()) std::abort();
    return 0;
  }
  if (request->part && !request->msn) std::abort();
  // Nine 1 s segments kept, and an open one: long enough for a delta update to skip some.
  SegmentRing ring(RingConfig{1s, 200ms, 9});
  for (int i = 0; i < 57; ++i) ring.addPart(Part{nullptr, 200ms, i % 5 == 0}, std::chrono::milliseconds{i * 200});
  // A delta update, when asked for, lists the live edge like the full playlist does.
  const std::string playlist = renderLowLatencyPlaylist(ring, {}, request->skip);
  if (playlist.find("#EXT-X-PRELOAD-HINT:") == std::string::npos) std::abort();
  // The playlist request's decision, and a part's own when the path names one: every wait is
  // released by the end of the stream.
  int waits = 0, releases = 0;
  for (const BlockingDecision& decision :
       {ring.decide(*request), resource && resource->kind == ResourceKind::Part ? ring.decidePart(resource->number)
                                                                                : BlockingDecision{}}) {
    if (decision.kind == BlockingDecision::Kind::BadRequest && decision.reason.empty()) std::abort();
    if (decision.kind != BlockingDecision::Kind::Wait) continue;
    ++waits;
    ring.wait(decision, [&releases] { ++releases; });
  }
  ring.finish();
  if (releases != waits) std::abort();
  return 0;
}
