// N Low-Latency HLS clients (RFC 8216bis §6.2.5.2 blocking playlist reload), spread over T
// io_contexts with a thread each: each keeps one HTTP/1.1 keep-alive connection and loops "blocking reload for the hinted part
// (_HLS_msn/_HLS_part, and _HLS_skip=YES where the server can skip) → GET that part", the way a
// player at the live edge does. What counts is
// when each client has each part compared with when the part was complete. Field meanings:
// bench/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/Report.h"

namespace ocellus::bench::hls {

using bench::Percentiles;

struct Options {
  std::string url;     // http://HOST:PORT/PATH/index.m3u8 (a multivariant playlist or a media playlist)
  std::string host;
  std::uint16_t port = 80;
  std::string target;  // the request target of url ("/PATH/index.m3u8")
  int clients = 10;
  // io_contexts, one thread each, clients spread over them in turn: 1000 players are 1000
  // processes, and one thread serving them all in turn adds its own queueing to every delay.
  int threads = 1;
  double durationS = 15;
  double warmupS = 3;       // after the last client started, before the window opens
  double rate = 200;        // clients started per second
  double timeoutS = 10;     // one request; a client that times out reconnects and starts over
  double rampTimeoutS = 60;
  // Blocking reloads ask for delta updates (_HLS_skip=YES, RFC 8216bis §6.2.5.1) when the playlist
  // advertises CAN-SKIP-UNTIL, as hls.js does; false: always the whole playlist.
  bool skip = true;
  // Like Apple's players: GET the part a playlist hints (EXT-X-PRELOAD-HINT, RFC 8216bis §4.4.5.3)
  // at once, which the server answers when it is complete, then reload for it (answered at once)
  // to learn the next hint. False: reload until the part is listed, then GET it, as hls.js does.
  bool hints = false;
};

struct Report {
  int clients = 0;
  int started = 0;            // got a first media playlist
  int failed = 0;             // never did
  std::map<std::string, int> errors;  // during the whole run, by reason ("GET part 503", "timeout", …)
  int restarts = 0;           // clients that started over after an error
  double windowS = 0;
  std::uint64_t requests = 0, bytes = 0;   // in the window
  std::uint64_t parts = 0;                 // parts received in the window
  std::uint64_t skippedParts = 0;          // parts a client passed over because it was behind the live edge
  int activeAtEnd = 0;                     // clients with a part in the last 2 s of the window
  double partsPerSPerClientMedian = 0;
  Percentiles partDelay;       // ms: has the part − the first moment any client saw it announced
  Percentiles reloadDelay;     // ms: blocking reload answered − that same first moment (wake-up spread)
  Percentiles partFetch;       // ms: GET part → last byte
  Percentiles mediaDelay;      // ms: has the part − (its segment's PROGRAM-DATE-TIME + the part's end in media time)
  double clientCpuPct = 0;
};

// Runs the whole test; writes READY and WINDOW_END alone on stderr lines at the window's edges.
Report runLoad(const Options& options);

}  // namespace ocellus::bench::hls
