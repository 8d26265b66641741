#include "LoadClient.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <openssl/rand.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "Janus.h"
#include "proto/webrtc/DtlsEndpoint.h"
#include "proto/webrtc/IceCandidate.h"
#include "proto/webrtc/SrtpSession.h"
#include "proto/webrtc/StunMessage.h"
#include "rtp/rtcp/Nack.h"
#include "rtp/rtcp/ReceiverReport.h"

namespace ocellus::bench {

namespace pw = proto::webrtc;

namespace {

constexpr size_t kBatch = 32;  // messages per recvmmsg
// A message is one datagram or, with UDP_GRO, a train of them (at most 64 KiB).
constexpr size_t kDatagramSize = 65536;
constexpr size_t kReadChunk = 16 * 1024;  // HTTP
constexpr double kHousekeepingS = 0.01;
constexpr size_t kRtpHeader = 12;  // RFC 3550 §5.1 fixed header
constexpr uint64_t kDecryptFirst = 10;
// RFC 8445 §14 leaves the pacing of checks to the agent; Chromium pings every 48 ms until answered.
constexpr double kCheckFirstRtoS = 0.05;
constexpr double kCheckMaxRtoS = 1.6;
// While DTLS runs the nominating check is repeated, as browsers keep checking until the transport
// is up: a server may answer a check that came before it had our answer (an early check, RFC 8445
// §7.3.1.1) yet not take its nomination (Janus, whose component then never leaves "connecting").
constexpr double kRenominateS = 0.25;
// OpenSSL's default first DTLS retransmission is 1 s; browsers scale theirs down on a fast path.
// A server that drops the first flight (Janus, before its ICE component is ready) would otherwise
// cost every viewer a full second.
constexpr std::chrono::milliseconds kDtlsFirstRetransmit{100};
constexpr size_t kMaxNackGap = 64;       // a larger jump is counted as lost, not NACKed
constexpr size_t kMaxAwaiting = 256;     // NACKed sequence numbers remembered per viewer
constexpr double kNackIntervalS = 0.02;  // at most one NACK packet per viewer per 20 ms
constexpr size_t kMaxNackSeqs = 64;      // per NACK packet
constexpr double kStallS = 2.0;
// A receiver report as soon as SRTP is keyed and then every second, as browsers send them
// (Chromium: RR at once, then about every second for video): the server frees a viewer's DTLS
// state at the first authenticated SRTCP, so a silent client would cost it what no browser does.
constexpr double kReportIntervalS = 1.0;
constexpr double kDeleteTimeoutS = 10;
constexpr std::string_view kSoftware = "ocellus-webrtc-load";
// A client asleep in epoll_wait is woken for almost every datagram, and on loopback the sender's
// system call does the waking (charged to the server under test). Looking every millisecond
// instead lets datagrams gather in the sockets' buffers (~0.1 per viewer per millisecond): at
// 3000 viewers the client went from 62 % to 38 % of a core and the machine from saturated to not,
// without which the server's own figures mean little.
constexpr auto kPollInterval = std::chrono::milliseconds(1);

using Steady = std::chrono::steady_clock;

double monotonicS() {
  return std::chrono::duration<double>(Steady::now().time_since_epoch()).count();
}

base::SteadyTime steadyAt(double s) {
  return base::SteadyTime(std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(s)));
}

double cpuS() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return tv(u.ru_utime) + tv(u.ru_stime);
}

double maxRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Udp RcvbufErrors of /proc/net/snmp: datagrams the kernel dropped because a receiving
// socket's buffer was full (machine-wide). -1 when unreadable.
int64_t udpRcvbufErrors() {
  std::ifstream f("/proc/net/snmp");
  std::string names, values, line;
  while (std::getline(f, line)) {
    if (line.rfind("Udp: ", 0) != 0) continue;
    if (names.empty()) {
      names = line;
    } else {
      values = line;
      break;
    }
  }
  std::istringstream n(names), v(values);
  std::string name, value;
  while (n >> name && v >> value)
    if (name == "RcvbufErrors") return std::stoll(value);
  return -1;
}

template <typename T>
Percentiles percentiles(std::vector<T> v) {
  Percentiles p;
  p.samples = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  // Nearest rank.
  auto at = [&](double q) {
    size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
    return static_cast<double>(v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)]);
  };
  p.p50 = at(0.50);
  p.p95 = at(0.95);
  p.p99 = at(0.99);
  p.max = static_cast<double>(v.back());
  return p;
}

Spread spread(std::vector<double> v) {
  Spread s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.median = v[v.size() / 2];
  s.max = v.back();
  return s;
}

uint64_t epollKey(uint32_t index, bool http) {
  return static_cast<uint64_t>(index) << 1 | (http ? 1 : 0);
}

// Whether an H.264 RTP payload (RFC 6184 §5.2) starts a keyframe: SPS, PPS or an IDR slice,
// alone, first in a STAP-A, or in the first fragment of an FU-A.
bool startsKeyframe(const uint8_t* payload, size_t n) {
  if (n < 2) return false;
  auto key = [](uint8_t type) { return type == 5 || type == 7 || type == 8; };
  uint8_t type = payload[0] & 0x1F;
  if (type == 24) return n >= 4 && key(payload[3] & 0x1F);               // STAP-A: size(2), NAL header
  if (type == 28) return (payload[1] & 0x80) && key(payload[1] & 0x1F);  // FU-A start
  return key(type);
}

// Where the payload of an RTP packet starts (RFC 3550 §5.1, §5.3.1), or 0 when malformed.
size_t payloadOffset(const uint8_t* p, size_t n) {
  size_t off = kRtpHeader + 4u * (p[0] & 0x0F);
  if (p[0] & 0x10) {
    if (n < off + 4) return 0;
    off += 4 + 4u * (static_cast<size_t>(p[off + 2]) << 8 | p[off + 3]);
  }
  return off < n ? off : 0;
}

}  // namespace

enum class Phase { Signaling, Ice, Dtls, Playing, Done };
// The HTTP exchange a viewer is in: WHEP's POST, or Janus's steps; then the DELETE (Janus: destroy).
enum class Step { WhepPost, JanusCreate, JanusAttach, JanusWatch, JanusPoll, JanusStart, End };

struct LoadClient::Viewer final : pw::DtlsEndpoint::Listener {
  uint32_t index = 0;
  Phase phase = Phase::Signaling;
  Step step = Step::WhepPost;
  pw::IceCredentials local;
  // The HTTP exchange in progress (the POST, later the DELETE).
  int http = -1;
  bool httpConnected = false;
  bool httpWantWrite = true;
  bool deleting = false;
  double deleteStartedAt = 0;
  std::string httpOut;
  std::string httpIn;
  std::string location;  // WHEP: the session URL, for the DELETE
  uint64_t janusSession = 0, janusHandle = 0;
  uint64_t transaction = 0;
  // ICE
  int udp = -1;
  RemoteDescription answer;  // the server's SDP (an answer, or Janus's offer)
  std::string username;      // "<server ufrag>:<our ufrag>" (RFC 8445 §7.2.2)
  uint64_t tieBreaker = 0;
  pw::StunTransactionId checkId{};
  double nextCheckAt = 0;
  double checkRto = kCheckFirstRtoS;
  pw::StunTransactionId consentId{};
  bool consentPending = false;
  bool consentInWindow = false;
  double nextConsentAt = 0;
  // DTLS; the flags are set in the listener callbacks and acted on after the endpoint returns.
  std::unique_ptr<pw::DtlsEndpoint> dtls;
  std::optional<pw::DtlsSrtpKeys> keys;
  std::string dtlsFailure;
  bool dtlsClosed = false;
  uint64_t dtlsSent = 0;
  std::optional<pw::SrtpSession> srtpIn;
  std::optional<pw::SrtpSession> srtpOut;  // our SRTCP (NACKs)
  // Times, monotonic seconds.
  double tPost = 0, tSignaled = 0, tIce = 0, tDtls = 0;
  // Media.
  bool firstSeen = false;
  bool keyframeSeen = false;
  bool haveSeq = false;
  uint16_t nextSeq = 0;
  uint32_t mediaSsrc = 0;
  uint32_t ourSsrc = 0;
  uint64_t total = 0;                           // RTP packets since connected
  uint64_t packets = 0, bytes = 0, frames = 0;  // in the window
  double lastRtpAt = 0;
  std::vector<uint16_t> missing;   // gaps not NACKed yet
  std::vector<uint16_t> awaiting;  // NACKed, not arrived yet (oldest first)
  double lastNackAt = -1;
  double nextReportAt = 0;

  void onDtlsSend(pw::DtlsEndpoint&, std::span<const uint8_t> datagram) override {
    if (udp < 0) return;
    (void)::send(udp, datagram.data(), datagram.size(), MSG_DONTWAIT);
    ++dtlsSent;
  }
  void onDtlsConnected(pw::DtlsEndpoint&, const pw::DtlsSrtpKeys& k) override { keys = k; }
  void onDtlsFailed(pw::DtlsEndpoint&, const base::Error& e) override {
    dtlsFailure = e.message.empty() ? std::string("failed") : e.message.substr(0, 80);
  }
  void onDtlsClosed(pw::DtlsEndpoint&) override { dtlsClosed = true; }
};

LoadClient::LoadClient(Options options) : options_(std::move(options)), buffers_(kBatch * kDatagramSize) {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) {
    setupError_ = "epoll_create1 failed";
    return;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* ai = nullptr;
  std::string port = std::to_string(options_.target.port);
  if (getaddrinfo(options_.target.host.c_str(), port.c_str(), &hints, &ai) != 0 || !ai) {
    setupError_ = "cannot resolve " + options_.target.host;
    return;
  }
  std::memcpy(&http_, ai->ai_addr, ai->ai_addrlen);
  httpLen_ = ai->ai_addrlen;
  freeaddrinfo(ai);
  auto certificate = pw::DtlsCertificate::generate();
  if (!certificate) {
    setupError_ = "DTLS certificate: " + certificate.error().message;
    return;
  }
  certificate_.emplace(std::move(certificate).value());
}

LoadClient::~LoadClient() {
  for (auto& v : viewers_) {
    v->dtls.reset();
    if (v->http >= 0) close(v->http);
    if (v->udp >= 0) close(v->udp);
  }
  if (epoll_ >= 0) close(epoll_);
}

// ------------------------------------------------------------------------------ life cycle

void LoadClient::launch(double now) {
  auto owned = std::make_unique<Viewer>();
  Viewer& v = *owned;
  v.index = static_cast<uint32_t>(viewers_.size());
  v.tPost = now;
  viewers_.push_back(std::move(owned));
  ++launched_;
  ++handshaking_;
  auto local = pw::IceLite::generateCredentials();
  uint64_t random[2] = {};
  if (!local || RAND_bytes(reinterpret_cast<unsigned char*>(random), sizeof random) != 1)
    return fail(v, "random");
  v.local = *local;
  v.tieBreaker = random[0];
  v.ourSsrc = static_cast<uint32_t>(random[1]) | 1;
  if (options_.janusMountpoint) {
    v.step = Step::JanusCreate;
    return janusRequest(v, "POST", options_.target.path, janus::createBody(++v.transaction));
  }
  std::string extra =
      options_.token.empty() ? std::string() : "Authorization: Bearer " + options_.token + "\r\n";
  startHttp(v, httpRequest("POST", options_.target, options_.target.path, "application/sdp",
                           whepOffer(v.local, certificate_->fingerprint(), random[1] >> 1), extra));
}

void LoadClient::janusRequest(Viewer& v, std::string_view method, const std::string& path,
                              const std::string& body) {
  startHttp(v, httpRequest(method, options_.target, path, body.empty() ? "" : "application/json", body, ""));
}

void LoadClient::fail(Viewer& v, const std::string& reason) {
  if (v.phase == Phase::Done) return;
  if (v.phase == Phase::Playing) {
    --playing_;
    ++report_.closedEarly;
    ++report_.closures[reason];
  } else {
    --handshaking_;
    ++report_.failed;
    ++report_.failures[reason];
  }
  v.phase = Phase::Done;
  v.dtls.reset();  // never from inside one of its callbacks: see afterDtls
  // A DELETE in flight finishes on its own: the server's close_notify may come before its 200.
  if (!v.deleting) closeHttp(v);
  if (v.udp >= 0) close(v.udp);  // also leaves the epoll set
  v.udp = -1;
}

// ------------------------------------------------------------------------------ HTTP (WHEP)

void LoadClient::startHttp(Viewer& v, std::string request) {
  auto failHttp = [&](const char* why) {
    if (v.deleting) return closeHttp(v);  // counted by the DELETE phase as not deleted
    fail(v, why);
  };
  v.http = socket(http_.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (v.http < 0) return failHttp("socket");
  int rc = connect(v.http, reinterpret_cast<const sockaddr*>(&http_), httpLen_);
  if (rc < 0 && errno != EINPROGRESS) return failHttp("connect");
  v.httpConnected = false;
  v.httpWantWrite = true;
  v.httpOut = std::move(request);
  v.httpIn.clear();
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.u64 = epollKey(v.index, true);
  epoll_ctl(epoll_, EPOLL_CTL_ADD, v.http, &ev);
}

void LoadClient::closeHttp(Viewer& v) {
  if (v.http >= 0) close(v.http);
  v.http = -1;
  if (v.deleting) {
    v.deleting = false;
    --deleting_;
  }
}

void LoadClient::onHttp(Viewer& v, uint32_t events, double now) {
  auto failHttp = [&](const std::string& why) {
    if (v.deleting) return closeHttp(v);
    fail(v, why);
  };
  if (!v.httpConnected) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(v.http, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return failHttp("connect");
    v.httpConnected = true;
  }
  while (!v.httpOut.empty()) {
    ssize_t n = ::send(v.http, v.httpOut.data(), v.httpOut.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return failHttp("send");
    }
    v.httpOut.erase(0, static_cast<size_t>(n));
  }
  if (v.httpOut.empty() && v.httpWantWrite) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = epollKey(v.index, true);
    epoll_ctl(epoll_, EPOLL_CTL_MOD, v.http, &ev);
    v.httpWantWrite = false;
  }
  if (!(events & (EPOLLIN | EPOLLERR | EPOLLHUP))) return;
  char chunk[kReadChunk];
  bool eof = false;
  for (;;) {
    ssize_t n = recv(v.http, chunk, sizeof chunk, 0);
    if (n > 0) {
      v.httpIn.append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n == 0)
      eof = true;
    else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      return failHttp("recv");
    break;
  }
  HttpResponse r;
  long used = parseHttpResponse(v.httpIn, r, eof);
  if (used < 0) return failHttp("malformed HTTP response");
  if (used == 0) {
    if (eof) failHttp("HTTP connection closed");
    return;
  }
  onHttpResponse(v, r, now);
}

void LoadClient::onHttpResponse(Viewer& v, const HttpResponse& r, double now) {
  if (v.deleting) {
    bool ok = r.status / 100 == 2 && (v.step != Step::End || !options_.janusMountpoint ||
                                      janus::stringField(r.body, "janus") == "success");
    if (ok)
      ++report_.deleted;
    else
      ++report_
            .deleteFailures[(options_.janusMountpoint ? "destroy " : "DELETE ") + std::to_string(r.status)];
    return closeHttp(v);
  }
  closeHttp(v);
  if (options_.janusMountpoint) return onJanusResponse(v, r, now);
  if (r.status != 201) return fail(v, "POST " + std::to_string(r.status));
  auto answer = parseRemoteDescription(r.body, false);
  if (!answer) return fail(v, "answer: " + answer.error().message);
  v.answer = std::move(answer).value();
  v.location = r.header("location");
  v.tSignaled = now;
  signalingMs_.push_back(static_cast<float>((now - v.tPost) * 1e3));
  if (openUdp(v)) startIce(v, now);
}

void LoadClient::onJanusResponse(Viewer& v, const HttpResponse& r, double now) {
  static const char* kNames[] = {"", "create", "attach", "watch", "event", "start", ""};
  const std::string what = kNames[static_cast<int>(v.step)];
  if (r.status != 200) return fail(v, "janus " + what + ": HTTP " + std::to_string(r.status));
  const auto kind = janus::stringField(r.body, "janus").value_or("");
  if (kind == "error")
    return fail(
        v, "janus " + what + ": error " + std::to_string(janus::numberField(r.body, "code").value_or(0)));
  const std::string base = options_.target.path;
  switch (v.step) {
    case Step::JanusCreate:
    case Step::JanusAttach: {
      auto id = janus::numberField(r.body, "id");
      if (kind != "success" || !id) return fail(v, "janus " + what + ": no id");
      if (v.step == Step::JanusCreate) {
        v.janusSession = *id;
        v.step = Step::JanusAttach;
        return janusRequest(v, "POST", base + "/" + std::to_string(v.janusSession),
                            janus::attachBody(++v.transaction));
      }
      v.janusHandle = *id;
      v.step = Step::JanusWatch;
      return janusRequest(v, "POST",
                          base + "/" + std::to_string(v.janusSession) + "/" + std::to_string(v.janusHandle),
                          janus::watchBody(++v.transaction, options_.janusMountpoint));
    }
    case Step::JanusWatch:
    case Step::JanusPoll: {
      // The offer comes in an event on the session's long poll (it may also ride on the reply).
      auto sdp = janus::stringField(r.body, "sdp");
      if (!sdp) {
        if (janus::stringField(r.body, "error"))
          return fail(v, "janus watch: " + *janus::stringField(r.body, "error"));
        v.step = Step::JanusPoll;
        return janusRequest(v, "GET", base + "/" + std::to_string(v.janusSession) + "?maxev=1", "");
      }
      auto offer = parseRemoteDescription(*sdp, true);
      if (!offer) return fail(v, "offer: " + offer.error().message);
      v.answer = std::move(offer).value();
      if (!openUdp(v)) return;
      sockaddr_in local{};
      socklen_t len = sizeof local;
      getsockname(v.udp, reinterpret_cast<sockaddr*>(&local), &len);
      char host[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &local.sin_addr, host, sizeof host);
      uint64_t id = 0;
      RAND_bytes(reinterpret_cast<unsigned char*>(&id), sizeof id);
      v.step = Step::JanusStart;
      return janusRequest(
          v, "POST", base + "/" + std::to_string(v.janusSession) + "/" + std::to_string(v.janusHandle),
          janus::startBody(++v.transaction, answerSdp(v.answer, v.local, certificate_->fingerprint(), host,
                                                      ntohs(local.sin_port), id >> 1)));
    }
    case Step::JanusStart:
      if (kind != "ack" && kind != "success" && kind != "event") return fail(v, "janus start: " + kind);
      v.step = Step::End;
      v.tSignaled = now;
      signalingMs_.push_back(static_cast<float>((now - v.tPost) * 1e3));
      return startIce(v, now);
    default:
      return;
  }
}

// ------------------------------------------------------------------------------ ICE

bool LoadClient::openUdp(Viewer& v) {
  v.udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (v.udp < 0) {
    fail(v, "udp socket");
    return false;
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(v.answer.port);
  inet_pton(AF_INET, v.answer.host.c_str(), &to.sin_addr);
  // A connected socket: the kernel drops datagrams from anywhere else, and send() needs no address.
  if (connect(v.udp, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) {
    fail(v, "udp connect");
    return false;
  }
  // A server that sends a frame's packets as one GSO train (Ocellus) would have the loopback
  // receive path split it per packet, charged to the server's send call; a viewer elsewhere
  // costs the server nothing of the kind. With UDP_GRO the train reaches us whole (the
  // segment size in a control message) and we split it (onUdp).
  const int gro = 1;
  (void)setsockopt(v.udp, SOL_UDP, UDP_GRO, &gro, sizeof gro);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = epollKey(v.index, false);
  epoll_ctl(epoll_, EPOLL_CTL_ADD, v.udp, &ev);
  return true;
}

void LoadClient::startIce(Viewer& v, double now) {
  v.username = v.answer.iceUfrag + ":" + v.local.ufrag;
  v.phase = Phase::Ice;
  v.checkRto = kCheckFirstRtoS;
  sendCheck(v, true, now);
}

void LoadClient::sendCheck(Viewer& v, bool nominate, double now) {
  pw::StunMessage::BindingRequest req;
  // A retransmitted check keeps its transaction id (RFC 8489 §6.2.1), so a late answer counts.
  const bool retransmit = v.phase == Phase::Ice && v.checkRto > kCheckFirstRtoS;
  req.transactionId = retransmit ? v.checkId : pw::StunMessage::randomTransactionId();
  if (retransmit) ++report_.checkRetransmits;
  req.username = v.username;
  req.password = v.answer.icePwd;
  // A peer-reflexive priority for our host candidate, as RFC 8445 §7.1.1 asks.
  req.priority = pw::IceCandidate::computePriority(pw::IceCandidate::kPeerReflexiveTypePreference, 65535, 1);
  req.iceControlling = v.tieBreaker;
  req.useCandidate = nominate;
  req.software = kSoftware;
  auto bytes = pw::StunMessage::bindingRequest(req);
  (void)::send(v.udp, bytes.data(), bytes.size(), MSG_DONTWAIT);
  ++(v.phase == Phase::Playing ? report_.sent.consent : report_.sent.checks);
  if (v.phase == Phase::Ice) {
    v.checkId = req.transactionId;
    v.nextCheckAt = now + v.checkRto;
    v.checkRto = std::min(v.checkRto * 2, kCheckMaxRtoS);
  } else if (v.phase == Phase::Dtls) {
    v.nextCheckAt = now + kRenominateS;  // its answer is not needed: see kRenominateS
  } else {
    // RFC 7675 §5.1: a consent check; the answer refreshes consent on the server.
    if (v.consentPending) ++report_.consentUnanswered;  // the previous one, consentS ago
    v.consentId = req.transactionId;
    v.consentPending = true;
    v.consentInWindow = measuring_;
    if (measuring_) ++report_.consentSent;
  }
}

void LoadClient::onStun(Viewer& v, const uint8_t* p, size_t n, double now) {
  auto m = pw::StunMessage::parse(std::span<const uint8_t>(p, n));
  if (!m || m->method() != static_cast<uint16_t>(pw::StunMethod::Binding)) return;
  if (m->isBindingRequest()) {
    // A full ICE agent checks back (RFC 8445 §7.3.1.4 triggered checks): answer as a browser
    // would (§7.3.1.2), or libnice never nominates the pair. The socket is connected, so the
    // source is the server's candidate.
    if (!m->verifyMessageIntegrity(std::string_view(v.local.pwd))) return;
    if (auto from = pw::TransportAddress::parseIp(v.answer.host, v.answer.port)) {
      auto answer = pw::StunMessage::bindingSuccess(m->transactionId(), *from, v.local.pwd);
      (void)::send(v.udp, answer.data(), answer.size(), MSG_DONTWAIT);
      ++report_.sent.checkAnswers;
    }
    return;
  }
  const auto id = m->transactionId();
  const bool isCheck = v.phase == Phase::Ice && id == v.checkId;
  const bool isConsent = v.consentPending && id == v.consentId;
  if (!isCheck && !isConsent) return;
  if (m->messageClass() == pw::StunClass::ErrorResponse) {
    auto e = m->errorCode();
    std::string code = e ? std::to_string(e->code) : std::string("?");
    if (isCheck) return fail(v, "ICE " + code);
    if (isConsent) return fail(v, "consent ICE " + code);
  }
  if (m->messageClass() != pw::StunClass::SuccessResponse) return;
  // RFC 8445 §7.2.5.2.1 (via RFC 8489 §9.1.4): the answer is authenticated with the server's pwd.
  if (!m->verifyMessageIntegrity(std::string_view(v.answer.icePwd))) return;
  if (isConsent) {
    v.consentPending = false;
    if (v.consentInWindow && measuring_) ++report_.consentAnswered;
    return;
  }
  v.tIce = now;
  iceMs_.push_back(static_cast<float>((now - v.tSignaled) * 1e3));
  startDtls(v, now);
}

// ------------------------------------------------------------------------------ DTLS

void LoadClient::startDtls(Viewer& v, double now) {
  pw::DtlsEndpoint::Config config;
  config.role = pw::DtlsRole::Client;
  config.handshakeTimeout =
      std::chrono::milliseconds(static_cast<int64_t>(options_.handshakeTimeoutS * 1000));
  config.initialRetransmit = kDtlsFirstRetransmit;
  auto dtls = pw::DtlsEndpoint::create(*certificate_, config, v);
  if (!dtls) return fail(v, "dtls create: " + dtls.error().message);
  v.dtls = std::move(dtls).value();
  if (auto s = v.dtls->expectFingerprint(v.answer.fingerprint.algorithm, v.answer.fingerprint.value); !s)
    return fail(v, "fingerprint: " + s.error().message);
  v.phase = Phase::Dtls;
  v.nextCheckAt = now + kRenominateS;
  if (auto s = v.dtls->start(steadyAt(now)); !s) return fail(v, "dtls start: " + s.error().message);
  afterDtls(v, now);
}

// Acts on what the endpoint reported during the call that just returned.
void LoadClient::afterDtls(Viewer& v, double now) {
  if (!v.dtlsFailure.empty()) return fail(v, "DTLS: " + v.dtlsFailure);
  if (v.dtlsClosed) return fail(v, "DTLS closed by the server");
  if (v.phase != Phase::Dtls || !v.keys) return;
  const auto& k = *v.keys;
  auto in = pw::SrtpSession::create(k.profile, k.remote.key, k.remote.salt, pw::SrtpDirection::Inbound);
  auto out = pw::SrtpSession::create(k.profile, k.local.key, k.local.salt, pw::SrtpDirection::Outbound);
  if (!in || !out) return fail(v, "SRTP setup");
  v.srtpIn.emplace(std::move(in).value());
  v.srtpOut.emplace(std::move(out).value());
  if (report_.srtpProfile.empty()) report_.srtpProfile = pw::srtpProfileName(k.profile);
  v.phase = Phase::Playing;
  v.tDtls = now;
  v.lastRtpAt = now;
  sendReport(v, now);
  // Spread the consent checks of viewers that connected together.
  v.nextConsentAt = now + options_.consentS * (0.5 + 0.5 * static_cast<double>(v.index % 64) / 64.0);
  dtlsMs_.push_back(static_cast<float>((now - v.tIce) * 1e3));
  --handshaking_;
  ++playing_;
  ++report_.connected;
}

// ------------------------------------------------------------------------------ receiving

void LoadClient::onUdp(Viewer& v, double now) {
  mmsghdr msgs[kBatch];
  iovec iov[kBatch];
  alignas(cmsghdr) char control[kBatch][CMSG_SPACE(sizeof(int))];
  for (;;) {
    for (size_t i = 0; i < kBatch; ++i) {
      iov[i] = {buffers_.data() + i * kDatagramSize, kDatagramSize};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = control[i];
      msgs[i].msg_hdr.msg_controllen = sizeof control[i];
    }
    int n = recvmmsg(v.udp, msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      // ICMP port unreachable on a connected socket: the server's port is gone.
      return fail(v, errno == ECONNREFUSED ? "ICMP port unreachable" : "recv");
    }
    for (int i = 0; i < n; ++i) {
      uint8_t* message = buffers_.data() + static_cast<size_t>(i) * kDatagramSize;
      const size_t length = msgs[i].msg_len;
      size_t segment = length;  // a single datagram, unless UDP_GRO says it is a train
      for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        int size = 0;
        if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) std::memcpy(&size, CMSG_DATA(c), sizeof size);
        if (size > 0) segment = static_cast<size_t>(size);
      }
      for (size_t at = 0; at < length && v.phase != Phase::Done; at += segment)
        onDatagram(v, message + at, std::min(segment, length - at), now);
      if (v.phase == Phase::Done) return;
    }
    if (static_cast<size_t>(n) < kBatch) return;
  }
}

void LoadClient::onDatagram(Viewer& v, uint8_t* p, size_t n, double now) {
  if (n == 0) return;
  // RFC 7983 §7 demultiplexing by the first byte; RFC 5761 §4 tells RTCP by the second.
  const uint8_t b = p[0];
  if (b >= 128 && b <= 191) {
    if (n >= 2 && p[1] >= 192 && p[1] <= 223) {
      if (measuring_) ++report_.rtcpPackets;
    } else {
      onRtp(v, p, n, now);
    }
  } else if (b <= 3) {
    onStun(v, p, n, now);
  } else if (b >= 20 && b <= 63) {
    if (!v.dtls) return;
    (void)v.dtls->feed(std::span<const uint8_t>(p, n), steadyAt(now));
    afterDtls(v, now);
  }
}

void LoadClient::onRtp(Viewer& v, uint8_t* p, size_t n, double now) {
  if (v.phase != Phase::Playing || n < kRtpHeader || (p[0] >> 6) != 2) return;
  const uint16_t seq = static_cast<uint16_t>(p[2] << 8 | p[3]);
  const bool marker = (p[1] & 0x80) != 0;
  const uint32_t ssrc = static_cast<uint32_t>(p[8]) << 24 | static_cast<uint32_t>(p[9]) << 16 |
                        static_cast<uint32_t>(p[10]) << 8 | p[11];
  if (v.firstSeen && ssrc != v.mediaSsrc) {  // not this session's stream: counted, not played
    if (measuring_) ++report_.foreignSsrc;
    return;
  }
  v.lastRtpAt = now;
  ++v.total;
  if (!v.firstSeen) {
    v.firstSeen = true;
    v.mediaSsrc = ssrc;
    firstFrameMs_.push_back(static_cast<float>((now - v.tPost) * 1e3));
    mediaMs_.push_back(static_cast<float>((now - v.tDtls) * 1e3));
  }
  // RFC 3550 Appendix A.1 in its simplest form: ahead by less than half the space is new.
  if (v.haveSeq) {
    uint16_t ahead = static_cast<uint16_t>(seq - v.nextSeq);
    if (ahead >= 0x8000) {  // late or duplicate: a retransmission we asked for?
      auto it = std::find(v.awaiting.begin(), v.awaiting.end(), seq);
      if (it != v.awaiting.end()) {
        v.awaiting.erase(it);
        if (measuring_) ++report_.recovered;
      } else if (measuring_) {
        ++report_.unexpectedOld;
      }
    } else {
      if (ahead != 0) {
        if (measuring_) {
          report_.seqLost += ahead;
          ++report_.seqGapEvents;
        }
        if (ahead <= kMaxNackGap)
          for (uint16_t s = v.nextSeq; s != seq; ++s) v.missing.push_back(s);
      }
      v.nextSeq = static_cast<uint16_t>(seq + 1);
    }
  } else {
    v.haveSeq = true;
    v.nextSeq = static_cast<uint16_t>(seq + 1);
  }
  if (measuring_) {
    ++report_.rtpPackets;
    report_.bytes += n;
    ++v.packets;
    v.bytes += n;
    if (marker) ++v.frames;
  }
  if (!v.missing.empty() && now - v.lastNackAt >= kNackIntervalS) sendNack(v, now);
  // A sample is decrypted (in place: nothing else reads the packet afterwards), and every packet
  // until one starts a keyframe: the first picture a decoder could show.
  const bool sample =
      v.total <= kDecryptFirst || !v.keyframeSeen ||
      (options_.decryptEvery > 0 && v.total % static_cast<uint64_t>(options_.decryptEvery) == 0);
  if (!sample) return;
  size_t length = n;
  const auto before = v.srtpIn->counters();
  ++report_.srtpChecked;
  if (v.srtpIn->unprotectRtp(std::span<uint8_t>(p, kDatagramSize), length)) {
    ++report_.srtpOk;
    size_t off = payloadOffset(p, length);
    if (!v.keyframeSeen && off && startsKeyframe(p + off, length - off)) {
      v.keyframeSeen = true;
      keyframeMs_.push_back(static_cast<float>((now - v.tPost) * 1e3));
      if (v.total == 1) ++report_.firstPacketKeyframe;
    }
  } else if (v.srtpIn->counters().authFailures > before.authFailures) {
    ++report_.srtpAuthFailures;
  } else {
    ++report_.srtpOtherFailures;  // replay-rejected included: a duplicate we had decrypted
  }
}

// RFC 4585 §6.2.1 generic NACK, alone in a reduced-size compound (RFC 5506), as SRTCP.
void LoadClient::sendReport(Viewer& v, double now) {
  v.nextReportAt = now + kReportIntervalS;
  rtp::rtcp::ReceiverReport rr;
  rr.ssrc = v.ourSsrc;
  if (v.haveSeq) {
    rtp::rtcp::ReportBlock block;
    block.ssrc = v.mediaSsrc;
    block.extendedHighestSeq = static_cast<uint16_t>(v.nextSeq - 1);
    rr.reportBlocks.push_back(block);
  }
  std::vector<uint8_t> packet;
  packet.reserve(64);
  rr.serialize(packet);
  if (v.srtpOut->protectRtcp(packet)) {
    (void)::send(v.udp, packet.data(), packet.size(), MSG_DONTWAIT);
    ++report_.sent.rtcp;
  }
}

void LoadClient::sendNack(Viewer& v, double now) {
  if (!v.srtpOut || v.missing.empty()) return;
  const size_t count = std::min(v.missing.size(), kMaxNackSeqs);
  rtp::rtcp::Nack nack;
  nack.senderSsrc = v.ourSsrc;
  nack.mediaSsrc = v.mediaSsrc;
  nack.items = rtp::rtcp::Nack::toItems(std::span<const uint16_t>(v.missing.data(), count));
  std::vector<uint8_t> packet;
  packet.reserve(64 + count);
  nack.serialize(packet);
  v.lastNackAt = now;
  if (v.srtpOut->protectRtcp(packet)) {
    (void)::send(v.udp, packet.data(), packet.size(), MSG_DONTWAIT);
    ++report_.sent.rtcp;
    if (measuring_) {
      ++report_.nackPackets;
      report_.nackedSeqs += count;
    }
    for (size_t i = 0; i < count; ++i) v.awaiting.push_back(v.missing[i]);
    if (v.awaiting.size() > kMaxAwaiting)
      v.awaiting.erase(v.awaiting.begin(),
                       v.awaiting.begin() + static_cast<long>(v.awaiting.size() - kMaxAwaiting));
  }
  v.missing.erase(v.missing.begin(), v.missing.begin() + static_cast<long>(count));
}

// ------------------------------------------------------------------------------ timers

void LoadClient::housekeeping(double now) {
  for (auto& owned : viewers_) {
    Viewer& v = *owned;
    if (v.deleting && now - v.deleteStartedAt > kDeleteTimeoutS) closeHttp(v);
    switch (v.phase) {
      case Phase::Done:
        break;
      case Phase::Signaling:
      case Phase::Ice:
      case Phase::Dtls:
        if (now - v.tPost > options_.handshakeTimeoutS) {
          static const char* kNames[] = {"timeout (signaling)", "timeout (ICE)", "timeout (DTLS)"};
          fail(v, kNames[static_cast<int>(v.phase)]);
        } else if (v.phase == Phase::Ice && now >= v.nextCheckAt) {
          sendCheck(v, true, now);
        } else if (v.phase == Phase::Dtls) {
          if (now >= v.nextCheckAt) sendCheck(v, true, now);
          auto at = v.dtls->nextTimeout(steadyAt(now));
          if (at && *at <= steadyAt(now)) {
            v.dtls->onTimeout(steadyAt(now));
            afterDtls(v, now);
          }
        }
        break;
      case Phase::Playing:
        if (now >= v.nextConsentAt) {
          v.nextConsentAt = now + options_.consentS;
          sendCheck(v, false, now);
        }
        if (now >= v.nextReportAt) sendReport(v, now);
        if (!v.missing.empty() && now - v.lastNackAt >= kNackIntervalS) sendNack(v, now);
        break;
    }
  }
}

void LoadClient::deleteAll(double now) {
  std::string extra =
      options_.token.empty() ? std::string() : "Authorization: Bearer " + options_.token + "\r\n";
  size_t next = 0;
  double deadline = now + kDeleteTimeoutS;
  std::vector<epoll_event> events(1024);
  while (now < deadline) {
    while (next < viewers_.size() && deleting_ < options_.inflight) {
      Viewer& v = *viewers_[next++];
      if ((v.location.empty() && !v.janusSession) || v.http >= 0) continue;
      v.deleting = true;
      v.deleteStartedAt = now;
      ++deleting_;
      if (v.janusSession) {
        v.step = Step::End;
        janusRequest(v, "POST", options_.target.path + "/" + std::to_string(v.janusSession),
                     janus::destroyBody(++v.transaction));
      } else {
        startHttp(v, httpRequest("DELETE", options_.target, v.location, "", "", extra));
      }
    }
    if (next >= viewers_.size() && deleting_ == 0) break;
    int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 10);
    now = monotonicS();
    for (int i = 0; i < n; ++i) {
      Viewer& v = *viewers_[events[i].data.u64 >> 1];
      if (events[i].data.u64 & 1) {
        if (v.http >= 0) onHttp(v, events[i].events, now);
      } else if (v.udp >= 0) {
        onUdp(v, now);  // drained so the server's datagrams do not pile up while we delete
      }
    }
    for (auto& owned : viewers_)
      if (owned->deleting && now - owned->deleteStartedAt > kDeleteTimeoutS) closeHttp(*owned);
  }
}

// ------------------------------------------------------------------------------ the run

Report LoadClient::run() {
  if (!setupError_.empty()) return report_;
  runStart_ = monotonicS();
  double lastHousekeeping = 0;
  double warmupEnd = -1;
  double cpuStart = 0;
  int64_t rcvbufStart = -1;
  std::vector<epoll_event> events(4096);
  int n = 0;
  for (;;) {
    double now = monotonicS();
    while (launched_ < options_.viewers && handshaking_ < options_.inflight &&
           (options_.rate <= 0 || launched_ < 1 + static_cast<int>((now - runStart_) * options_.rate)))
      launch(now);
    if (n < static_cast<int>(events.size())) std::this_thread::sleep_for(kPollInterval);
    n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 0);
    now = monotonicS();
    for (int i = 0; i < n; ++i) {
      Viewer& v = *viewers_[events[i].data.u64 >> 1];
      if (events[i].data.u64 & 1) {
        if (v.http >= 0) onHttp(v, events[i].events, now);
      } else if (v.udp >= 0) {
        onUdp(v, now);
      }
    }
    if (now - lastHousekeeping >= kHousekeepingS) {
      lastHousekeeping = now;
      housekeeping(now);
    }
    bool allStarted = launched_ == options_.viewers && handshaking_ == 0;
    if (!measuring_) {
      if (allStarted && playing_ == 0) {  // nothing to measure
        std::fprintf(stderr, "READY\nWINDOW_END\n");
        return finish(now, now, cpuS());
      }
      if (warmupEnd < 0 && (allStarted || now - runStart_ > options_.rampTimeoutS))
        warmupEnd = now + options_.warmupS;
      if (warmupEnd >= 0 && now >= warmupEnd) {
        measuring_ = true;
        windowStart_ = now;
        cpuStart = cpuS();
        rcvbufStart = udpRcvbufErrors();
        std::fprintf(stderr, "READY\n");
      }
    } else if (now - windowStart_ >= options_.durationS) {
      std::fprintf(stderr, "WINDOW_END\n");
      int64_t rcvbufEnd = udpRcvbufErrors();
      Report r = finish(now, windowStart_, cpuStart);
      r.udpRcvbufErrors = rcvbufStart >= 0 && rcvbufEnd >= 0 ? rcvbufEnd - rcvbufStart : -1;
      if (options_.deleteSessions) {
        deleteAll(monotonicS());
        r.deleted = report_.deleted;
      }
      return r;
    }
  }
}

Report LoadClient::finish(double now, double windowStart, double cpuStart) {
  measuring_ = false;
  Report r = report_;
  r.windowS = now - windowStart;
  r.clientCpuPct = r.windowS > 0 ? 100.0 * (cpuS() - cpuStart) / r.windowS : 0;
  r.clientRssMb = maxRssMb();
  std::vector<double> pps, kbps, fps;
  for (auto& owned : viewers_) {
    const Viewer& v = *owned;
    r.sent.dtls += v.dtlsSent;
    if (v.phase != Phase::Playing) continue;  // never connected, or closed
    if (now - v.lastRtpAt > kStallS)
      ++r.stalled;
    else
      ++r.served;
    if (r.windowS <= 0) continue;
    pps.push_back(static_cast<double>(v.packets) / r.windowS);
    kbps.push_back(static_cast<double>(v.bytes) * 8 / r.windowS / 1e3);
    fps.push_back(static_cast<double>(v.frames) / r.windowS);
  }
  r.packetsPerS = spread(std::move(pps));
  r.kbitPerS = spread(std::move(kbps));
  r.framesPerS = spread(std::move(fps));
  r.firstFrame = percentiles(firstFrameMs_);
  r.firstKeyframe = percentiles(keyframeMs_);
  r.signaling = percentiles(signalingMs_);
  r.ice = percentiles(iceMs_);
  r.dtls = percentiles(dtlsMs_);
  r.media = percentiles(mediaMs_);
  return r;
}

}  // namespace ocellus::bench
