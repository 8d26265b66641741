// N RTSP readers over TCP interleaved (RFC 2326 §10.12) on one thread and one epoll set.
// Each reader does OPTIONS, DESCRIBE, SETUP of every track, PLAY (no Range header), then reads
// `$`-framed RTP/RTCP, looking only at the 12-byte RTP header of each packet (RFC 3550 §5.1).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "Rtsp.h"

namespace ocellus::bench {

struct Options {
  std::string url;
  Url target;
  int readers = 10;
  double durationS = 15;
  double warmupS = 2;           // after the last PLAY, before the window opens
  int inflight = 50;            // handshakes in progress at once
  double handshakeTimeoutS = 10;
  double rampTimeoutS = 60;     // the window opens by then even if some readers are still starting
  double keepaliveS = 0;        // 0: half the Session timeout, at most 25 s
};

struct Percentiles {
  size_t samples = 0;
  double p50 = 0, p99 = 0, max = 0;
};

// Everything counted inside the measuring window only, except the handshake figures.
struct Report {
  int connected = 0;  // reached PLAY 200
  int failed = 0;
  std::map<std::string, int> failures;  // reason -> count
  int closedEarly = 0;                  // playing readers the server closed before the window ended
  double windowS = 0;
  uint64_t bytes = 0;
  uint64_t rtpPackets = 0;
  uint64_t framesMin = 0, framesMedian = 0, framesMax = 0;  // per playing reader, video markers
  uint64_t seqLost = 0;    // packets missing by RTP sequence number, all readers, all tracks
  uint64_t seqGapEvents = 0;
  Percentiles lateness;    // ms, see README: arrival vs the RTP timestamp schedule
  Percentiles firstPacket; // ms from TCP connect to the first RTP packet
  double clientCpuPct = 0;
};

class LoadClient {
 public:
  explicit LoadClient(Options options);
  ~LoadClient();
  LoadClient(const LoadClient&) = delete;
  LoadClient& operator=(const LoadClient&) = delete;

  // Runs the whole test; writes "READY" and "WINDOW_END" lines to stderr at the window edges
  // so a driver can sample the server's /proc counters over the same interval.
  Report run();

 private:
  struct Conn;
  void launch(double now);
  void fail(Conn& c, const std::string& reason);
  void onReadable(Conn& c, double now);
  void onWritable(Conn& c);
  void consume(Conn& c, const uint8_t* p, size_t n, double now);
  void onMessage(Conn& c, const Response& r, double now);
  void onRtp(Conn& c, int channel, const uint8_t* h, size_t size, double now);
  void sendRequest(Conn& c, const char* method, const std::string& url, const std::string& extra);
  void housekeeping(double now);
  Report finish(double now, double windowStart, double cpuStart);

  Options options_;
  int epoll_ = -1;
  std::vector<std::unique_ptr<Conn>> conns_;
  int launched_ = 0;
  int handshaking_ = 0;
  int playing_ = 0;
  bool measuring_ = false;
  double windowStart_ = 0;
  Report report_;
  std::vector<uint8_t> buffer_;
  std::vector<float> firstPacketMs_;
};

}  // namespace ocellus::bench
