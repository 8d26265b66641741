// N RTMP players (Adobe RTMP 1.0: plain handshake §5.2, connect / createStream / play §7.2) on
// one or more io_contexts, each on its own thread. Chunks are parsed by the project's sans-I/O
// proto::rtmp::ChunkReader; a player counts bytes, audio and video messages and reads only the
// message headers (type, timestamp), never the FLV payloads. Field meanings: bench/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/Report.h"
#include <vector>

namespace ocellus::bench::rtmp {

using bench::Percentiles;

struct Options {
  std::string url;       // rtmp://HOST:PORT/APP/STREAM[?query]
  std::string host;      // parsed from url
  std::uint16_t port = 1935;
  std::string app;       // the first path component
  std::string stream;    // the rest, query included (servers read credentials from it)
  int players = 10;
  int threads = 1;            // io_contexts, one thread each; players spread over them in turn
  double durationS = 15;
  double warmupS = 2;         // after the last player started, before the window opens
  int inflight = 50;          // players between TCP connect and NetStream.Play.Start at once (in all)
  double timeoutS = 10;       // connect → Play.Start, else the player fails
  double rampTimeoutS = 60;   // the window opens by then even if some players are still starting
  double fps = 30;            // the source's frame rate: "full rate" and timestamp gaps are judged by it
  double fullRate = 0.9;      // a player at full rate received at least this share of fps × window video messages
  double lagMs = 1000;        // a player whose last frame came this much later than its most punctual one is lagging
};

struct Report {
  int connected = 0;  // reached NetStream.Play.Start
  int failed = 0;
  std::map<std::string, int> failures;  // reason → count
  int closedEarly = 0;                  // playing players the server closed before the window ended
  double windowS = 0;
  std::uint64_t bytes = 0;              // every byte received in the window
  std::uint64_t videoMessages = 0, audioMessages = 0, otherMessages = 0;
  int fullRate = 0;                     // players with ≥ fullRate × fps × window video messages
  int stalled = 0;                      // playing at the end without a video message in the last 2 s
  int lagging = 0;                      // last frame more than lagMs behind the player's most punctual one
  std::uint64_t tsDropped = 0;          // video frames missing by timestamp gaps (> 1.5 frame intervals)
  std::uint64_t tsGapEvents = 0;
  int playersWithGaps = 0;
  double videoPerPlayerMin = 0, videoPerPlayerMedian = 0, videoPerPlayerMax = 0;  // messages/s
  double kbitPerPlayerMin = 0, kbitPerPlayerMedian = 0;
  Percentiles lateness;       // ms: arrival against the message timestamps, see README
  Percentiles firstVideo;     // ms from TCP connect to the first video message
  double clientCpuPct = 0;
};

// Runs the whole test; writes "READY" and "WINDOW_END" alone on stderr lines at the window's
// edges so a driver can sample the server's /proc counters over the same interval.
Report runLoad(const Options& options);

}  // namespace ocellus::bench::rtmp
