#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/SharedBytes.h"
#include "proto/hls/PlaylistRequest.h"
#include "proto/hls/ResourceName.h"

namespace ocellus::server::hls {

// One HLS request as the HTTP layer hands it over: which resource, the LL-HLS directives
// (media playlist only) and what every URL a playlist lists must carry.
struct HlsRequest {
  proto::hls::Resource resource;
  proto::hls::PlaylistRequest directives;
  bool lowLatency = true;  // false: the plain playlist (complete segments only), for ?ll=0
  std::string query;       // appended to listed URLs ("token=…"), without '?'
  int attempts = 0;        // sessions that closed under this request (restarts are retried once)
};

// What it gets. The HTTP layer maps kinds to statuses: Ok 200, BadRequest 400 naming `field`,
// NotFound 404, Unavailable 503 with Retry-After.
struct HlsAnswer {
  enum class Kind : std::uint8_t { Ok, BadRequest, NotFound, Unavailable };
  Kind kind = Kind::Ok;
  std::string contentType;
  // Ok: shared, never copied per answer (a part's bytes, a segment's parts in order, a playlist
  // rendered once for every request that gets the same one).
  std::vector<base::SharedBytes> body;
  bool playlist = false;  // short-lived (a playlist, the init segment): Cache-Control differs
  std::string field;      // BadRequest: the parameter at fault (else the _HLS_ one `message` names)
  std::string message;    // not Ok: why

  static HlsAnswer refuse(Kind kind, std::string message, std::string field = {}) {
    return HlsAnswer{kind, {}, {}, false, std::move(field), std::move(message)};
  }
};

// Called exactly once, on any thread.
using HlsDone = std::function<void(HlsAnswer)>;

}  // namespace ocellus::server::hls
