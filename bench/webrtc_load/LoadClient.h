// N WHEP viewers on one thread and one epoll set. Each viewer POSTs a recvonly H.264 offer
// (draft-ietf-wish-whep §4.2), sends ICE connectivity checks to the answer's host candidate as
// the controlling agent with USE-CANDIDATE (RFC 8445 §7.2.2, §8.1.1; the server is ICE-lite),
// runs the DTLS client handshake over the same UDP socket (RFC 5763 §5, RFC 5764), then counts
// the SRTP packets that arrive, reading only each packet's clear RTP header (RFC 3711 §3.1
// leaves it unencrypted) and decrypting a sample to prove the exported keys work. A gap in the
// sequence numbers is NACKed (RFC 4585 §6.2.1) over SRTCP; consent checks go out every few
// seconds (RFC 7675 §5.1) so the server keeps the session.
//
// One UDP socket per viewer: the server demultiplexes its shared port by source address.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "Whep.h"
#include "proto/webrtc/DtlsCertificate.h"

namespace ocellus::bench {

struct Options {
  std::string url;  // http://HOST:PORT/PATH/whep, or Janus's http://HOST:PORT/janus
  HttpUrl target;
  uint64_t janusMountpoint = 0;  // not 0: Janus streaming-plugin signaling instead of WHEP
  std::string token;             // sent as "Authorization: Bearer" when set
  int viewers = 10;
  double durationS = 15;
  double warmupS = 2;  // after the last viewer connected, before the window opens
  int inflight = 50;   // handshakes (POST through DTLS) in progress at once
  double rate = 0;     // viewers started per second at most; 0: only --inflight limits
  double handshakeTimeoutS = 10;
  double rampTimeoutS = 60;  // the window opens by then even if some viewers are still starting
  double consentS = 5;  // consent freshness checks (RFC 7675): the server fails a session after 30 s without
  int decryptEvery = 50;       // decrypt the first kDecryptFirst packets and then one in N; 0: only the first
  bool deleteSessions = true;  // DELETE every session after the window
};

struct Percentiles {
  size_t samples = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
};

struct Spread {
  double min = 0, median = 0, max = 0;
};

// Everything counted inside the measuring window only, except the handshake and first-frame
// figures and the sampled SRTP checks.
struct Report {
  int connected = 0;  // DTLS connected
  int failed = 0;
  std::map<std::string, int> failures;  // reason -> count
  int closedEarly =
      0;  // connected viewers that ended before the window did (ICMP, DTLS close, consent refused)
  std::map<std::string, int> closures;  // reason -> count, for closedEarly
  int stalled = 0;  // connected viewers without an RTP packet in the last kStallS of the window
  int served = 0;  // still connected at the end of the window and receiving (connected − closed − stalled)
  double windowS = 0;
  uint64_t bytes = 0;  // SRTP RTP datagrams, UDP payload bytes
  uint64_t rtpPackets = 0;
  uint64_t rtcpPackets = 0;  // SRTCP from the server (sender reports)
  Spread packetsPerS;        // per viewer still connected at the end of the window (stalled ones included)
  Spread kbitPerS;
  Spread framesPerS;  // RTP marker bits = H.264 access units
  uint64_t seqLost = 0;
  uint64_t seqGapEvents = 0;
  uint64_t nackPackets = 0;    // SRTCP generic NACKs sent
  uint64_t nackedSeqs = 0;     // sequence numbers they asked for
  uint64_t recovered = 0;      // NACKed sequence numbers that arrived later
  uint64_t unexpectedOld = 0;  // packets behind the highest sequence number that were not NACKed (duplicates)
  uint64_t foreignSsrc = 0;    // RTP packets whose SSRC is not the one the viewer's first packet had
  std::string srtpProfile;
  uint64_t srtpChecked = 0, srtpOk = 0, srtpAuthFailures = 0, srtpOtherFailures = 0;
  int firstPacketKeyframe = 0;    // viewers whose first packet decrypted to SPS/PPS/IDR
  Percentiles firstFrame;         // ms, POST -> first SRTP RTP packet
  Percentiles firstKeyframe;      // ms, POST -> first packet that starts a keyframe (decrypted to see)
  Percentiles signaling;          // ms, POST -> 201 (Janus: create -> "start" acknowledged)
  Percentiles ice;                // ms, end of signaling -> Binding success
  Percentiles dtls;               // ms, Binding success -> DTLS connected
  Percentiles media;              // ms, DTLS connected -> first RTP packet
  uint64_t checkRetransmits = 0;  // connectivity checks sent again for want of an answer (handshakes)
  uint64_t consentSent = 0, consentAnswered = 0;  // in the window
  uint64_t consentUnanswered = 0;  // whole run: checks without an answer by the time the next one went out
  struct Sent {  // datagrams the client sent over the whole run, by kind: its load on the server's port
    uint64_t checks = 0;        // connectivity checks (first sends, retransmissions, renominations)
    uint64_t consent = 0;       // consent checks
    uint64_t checkAnswers = 0;  // answers to the server's own checks (a full agent such as Janus's)
    uint64_t dtls = 0;          // DTLS datagrams (flights and retransmissions)
    uint64_t rtcp = 0;          // SRTCP NACKs
  } sent;
  int64_t udpRcvbufErrors = -1;               // machine-wide, /proc/net/snmp, over the window
  int deleted = 0;                            // DELETE answered 2xx
  std::map<std::string, int> deleteFailures;  // "DELETE 404" -> count
  double clientCpuPct = 0;
  double clientRssMb = 0;
};

class LoadClient {
 public:
  // Generates the client's one DTLS certificate, shared by every viewer.
  explicit LoadClient(Options options);
  ~LoadClient();
  LoadClient(const LoadClient&) = delete;
  LoadClient& operator=(const LoadClient&) = delete;

  // An empty string when the client can run, or why not (resolve, certificate, epoll).
  const std::string& setupError() const { return setupError_; }

  // Runs the whole test; writes "READY" and "WINDOW_END" lines to stderr at the window edges
  // so a driver can sample the server's /proc counters over the same interval.
  Report run();

 private:
  struct Viewer;

  void launch(double now);
  void fail(Viewer& v, const std::string& reason);
  void startHttp(Viewer& v, std::string request);
  void closeHttp(Viewer& v);
  void onHttp(Viewer& v, uint32_t events, double now);
  void onHttpResponse(Viewer& v, const HttpResponse& r, double now);
  void onJanusResponse(Viewer& v, const HttpResponse& r, double now);
  void janusRequest(Viewer& v, std::string_view method, const std::string& path, const std::string& body);
  bool openUdp(Viewer& v);
  void startIce(Viewer& v, double now);
  void sendCheck(Viewer& v, bool nominate, double now);
  void startDtls(Viewer& v, double now);
  void afterDtls(Viewer& v, double now);
  void onUdp(Viewer& v, double now);
  void onDatagram(Viewer& v, uint8_t* p, size_t n, double now);
  void onStun(Viewer& v, const uint8_t* p, size_t n, double now);
  void onRtp(Viewer& v, uint8_t* p, size_t n, double now);
  void sendReport(Viewer& v, double now);
  void sendNack(Viewer& v, double now);
  void housekeeping(double now);
  void deleteAll(double now);
  Report finish(double now, double windowStart, double cpuStart);

  Options options_;
  std::string setupError_;
  sockaddr_storage http_{};
  socklen_t httpLen_ = 0;
  int epoll_ = -1;
  std::optional<proto::webrtc::DtlsCertificate> certificate_;
  std::vector<std::unique_ptr<Viewer>> viewers_;
  int launched_ = 0;
  int handshaking_ = 0;
  int playing_ = 0;
  int deleting_ = 0;
  bool measuring_ = false;
  double windowStart_ = 0;
  double runStart_ = 0;
  Report report_;
  std::vector<uint8_t> buffers_;  // kBatch datagrams for recvmmsg
  std::vector<float> firstFrameMs_, keyframeMs_, signalingMs_, iceMs_, dtlsMs_, mediaMs_;
};

}  // namespace ocellus::bench
