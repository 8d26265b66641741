#include "LoadClient.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace ocellus::bench {
namespace {

constexpr size_t kReadChunk = 256 * 1024;
constexpr size_t kMaxSamplesPerReader = 36000;  // 20 min of 30 fps
constexpr double kHousekeepingS = 0.05;
constexpr size_t kRtpHeader = 12;  // RFC 3550 §5.1 fixed header

double monotonicS() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double cpuS() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return tv(u.ru_utime) + tv(u.ru_stime);
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
  p.p99 = at(0.99);
  p.max = static_cast<double>(v.back());
  return p;
}

}  // namespace

enum class Phase { Connecting, Options, Describe, Setup, Play, Playing, Done };
enum class Mode { Idle, Header, Payload, Text };

struct TrackState {
  Track track;
  int channel = -1;  // RTP channel; RTCP is channel + 1
  bool counted = false;  // the track whose marker bits count frames
  bool haveSeq = false;
  uint16_t nextSeq = 0;
  bool haveTs = false;
  uint32_t lastTs = 0;
  int64_t ts = 0;  // unwrapped RTP timestamp
};

struct LoadClient::Conn {
  int fd = -1;
  uint32_t index = 0;
  Phase phase = Phase::Connecting;
  double startedAt = 0;
  double nextKeepalive = 0;
  double keepaliveS = 25;
  bool wantWrite = true;
  int cseq = 0;
  std::string session;
  std::string out;
  std::string text;
  Description desc;
  std::vector<TrackState> tracks;
  size_t setupIndex = 0;
  // Interleaved frame parser (RFC 2326 §10.12): '$', channel, 16-bit length, data.
  Mode mode = Mode::Idle;
  uint8_t head[kRtpHeader] = {};
  size_t headLen = 0;
  size_t frameSize = 0;
  size_t remain = 0;
  int channel = 0;
  bool played = false;  // got PLAY 200
  bool firstPacketSeen = false;
  uint64_t frames = 0;
  double anchor = NAN;
  std::vector<float> offsetsMs;
};

LoadClient::LoadClient(Options options) : options_(std::move(options)), buffer_(kReadChunk) {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
}

LoadClient::~LoadClient() {
  for (auto& c : conns_)
    if (c->fd >= 0) close(c->fd);
  if (epoll_ >= 0) close(epoll_);
}

void LoadClient::launch(double now) {
  auto c = std::make_unique<Conn>();
  c->index = static_cast<uint32_t>(conns_.size());
  c->startedAt = now;
  Conn& conn = *c;
  conns_.push_back(std::move(c));
  ++launched_;
  ++handshaking_;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* ai = nullptr;
  std::string port = std::to_string(options_.target.port);
  if (getaddrinfo(options_.target.host.c_str(), port.c_str(), &hints, &ai) != 0 || !ai) {
    fail(conn, "resolve");
    return;
  }
  conn.fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int rc = conn.fd < 0 ? -1 : connect(conn.fd, ai->ai_addr, ai->ai_addrlen);
  freeaddrinfo(ai);
  if (conn.fd < 0 || (rc < 0 && errno != EINPROGRESS)) {
    fail(conn, conn.fd < 0 ? "socket" : "connect");
    return;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.u32 = conn.index;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, conn.fd, &ev);
}

void LoadClient::fail(Conn& c, const std::string& reason) {
  if (c.phase == Phase::Done) return;
  if (c.phase == Phase::Playing) {
    --playing_;
    ++report_.closedEarly;
  } else {
    --handshaking_;
    ++report_.failed;
    ++report_.failures[reason];
  }
  c.phase = Phase::Done;
  if (c.fd >= 0) close(c.fd);  // also removes it from the epoll set
  c.fd = -1;
}

void LoadClient::sendRequest(Conn& c, const char* method, const std::string& url, const std::string& extra) {
  c.out += std::string(method) + " " + url + " RTSP/1.0\r\nCSeq: " + std::to_string(++c.cseq) +
           "\r\nUser-Agent: ocellus-rtsp-load\r\n";
  if (!c.session.empty()) c.out += "Session: " + c.session + "\r\n";
  c.out += extra + "\r\n";
  onWritable(c);
}

void LoadClient::onWritable(Conn& c) {
  while (!c.out.empty()) {
    ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      fail(c, "send");
      return;
    }
    c.out.erase(0, static_cast<size_t>(n));
  }
  bool want = !c.out.empty();
  if (want != c.wantWrite) {
    epoll_event ev{};
    ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
    ev.data.u32 = c.index;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
    c.wantWrite = want;
  }
}

void LoadClient::onReadable(Conn& c, double now) {
  ssize_t n = recv(c.fd, buffer_.data(), buffer_.size(), 0);
  if (n > 0) {
    if (measuring_) report_.bytes += static_cast<uint64_t>(n);
    consume(c, buffer_.data(), static_cast<size_t>(n), now);
  } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    fail(c, n == 0 ? "closed by server" : "recv");
  }
}

void LoadClient::consume(Conn& c, const uint8_t* p, size_t n, double now) {
  while (n > 0 && c.phase != Phase::Done) {
    switch (c.mode) {
      case Mode::Idle:
        if (*p == '$') {
          c.mode = Mode::Header;
          c.headLen = 0;
        } else if (*p == '\r' || *p == '\n') {
          ++p, --n;
        } else {
          c.mode = Mode::Text;
        }
        break;
      case Mode::Header: {
        size_t take = std::min(n, 4 - c.headLen);
        std::memcpy(c.head + c.headLen, p, take);
        c.headLen += take, p += take, n -= take;
        if (c.headLen == 4) {
          c.channel = c.head[1];
          c.frameSize = c.remain = static_cast<size_t>(c.head[2] << 8 | c.head[3]);
          c.headLen = 0;
          c.mode = c.remain ? Mode::Payload : Mode::Idle;
        }
        break;
      }
      case Mode::Payload: {
        size_t want = std::min(c.frameSize, kRtpHeader);
        size_t take = std::min(n, c.headLen < want ? want - c.headLen : c.remain);
        if (c.headLen < want) {
          std::memcpy(c.head + c.headLen, p, take);
          c.headLen += take;
          if (c.headLen == want) onRtp(c, c.channel, c.head, want, now);
        }
        p += take, n -= take, c.remain -= take;
        if (c.remain == 0) c.mode = Mode::Idle;
        break;
      }
      case Mode::Text: {
        c.text.append(reinterpret_cast<const char*>(p), n);
        n = 0;
        for (;;) {
          Response r;
          long used = parseResponse(c.text, r);
          if (used < 0) return fail(c, "malformed response");
          if (used == 0) break;
          c.text.erase(0, static_cast<size_t>(used));
          onMessage(c, r, now);
          if (c.phase == Phase::Done) return;
          c.text.erase(0, std::min(c.text.size(), c.text.find_first_not_of("\r\n")));
          if (c.text.empty() || c.text[0] == '$') {
            // Back to binary frames: hand the rest to the frame parser.
            std::string rest = std::move(c.text);
            c.text.clear();
            c.mode = Mode::Idle;
            return consume(c, reinterpret_cast<const uint8_t*>(rest.data()), rest.size(), now);
          }
        }
        break;
      }
    }
  }
}

void LoadClient::onMessage(Conn& c, const Response& r, double now) {
  if (r.status == 0) return;  // a request from the server: none is needed for playback
  if (c.phase == Phase::Playing) return;  // GET_PARAMETER answers
  static const char* kNames[] = {"CONNECT", "OPTIONS", "DESCRIBE", "SETUP", "PLAY"};
  if (r.status != 200)
    return fail(c, std::string(kNames[static_cast<int>(c.phase)]) + " " + std::to_string(r.status));
  auto setupNext = [&] {
    auto& t = c.tracks[c.setupIndex];
    int ch = static_cast<int>(2 * c.setupIndex);
    sendRequest(c, "SETUP", t.track.url,
                "Transport: RTP/AVP/TCP;unicast;interleaved=" + std::to_string(ch) + "-" +
                    std::to_string(ch + 1) + "\r\n");
  };
  switch (c.phase) {
    case Phase::Options:
      c.phase = Phase::Describe;
      sendRequest(c, "DESCRIBE", options_.url, "Accept: application/sdp\r\n");
      break;
    case Phase::Describe: {
      std::string base = r.header("content-base");
      if (base.empty()) base = r.header("content-location");
      if (base.empty()) base = options_.url;
      c.desc = parseSdp(r.body, base);
      if (c.desc.tracks.empty()) return fail(c, "SDP without media");
      for (auto& t : c.desc.tracks) c.tracks.push_back(TrackState{t});
      auto video = std::find_if(c.tracks.begin(), c.tracks.end(),
                                [](const TrackState& t) { return t.track.media == "video"; });
      (video == c.tracks.end() ? c.tracks.front() : *video).counted = true;
      c.phase = Phase::Setup;
      setupNext();
      break;
    }
    case Phase::Setup: {
      if (c.session.empty()) {
        auto [id, timeout] = parseSession(r.header("session"));
        if (id.empty()) return fail(c, "SETUP without Session");
        c.session = id;
        c.keepaliveS = options_.keepaliveS > 0 ? options_.keepaliveS
                                                : std::min(25.0, timeout > 0 ? timeout / 2.0 : 25.0);
      }
      int ch = interleavedChannel(r.header("transport"));
      c.tracks[c.setupIndex].channel = ch >= 0 ? ch : static_cast<int>(2 * c.setupIndex);
      if (++c.setupIndex < c.tracks.size()) {
        setupNext();
      } else {
        c.phase = Phase::Play;
        sendRequest(c, "PLAY", c.desc.aggregateUrl, "");  // no Range: see bench/README.md
      }
      break;
    }
    case Phase::Play:
      c.phase = Phase::Playing;
      c.played = true;
      c.nextKeepalive = now + c.keepaliveS;
      --handshaking_;
      ++playing_;
      ++report_.connected;
      break;
    default:
      break;
  }
}

void LoadClient::onRtp(Conn& c, int channel, const uint8_t* h, size_t size, double now) {
  auto t = std::find_if(c.tracks.begin(), c.tracks.end(), [&](const TrackState& s) { return s.channel == channel; });
  if (t == c.tracks.end() || size < kRtpHeader || (h[0] >> 6) != 2) return;  // RTCP or not RTP v2
  if (!c.firstPacketSeen) {
    c.firstPacketSeen = true;
    firstPacketMs_.push_back(static_cast<float>((now - c.startedAt) * 1e3));
  }
  uint16_t seq = static_cast<uint16_t>(h[2] << 8 | h[3]);
  uint32_t ts = static_cast<uint32_t>(h[4]) << 24 | static_cast<uint32_t>(h[5]) << 16 |
                static_cast<uint32_t>(h[6]) << 8 | h[7];
  bool marker = (h[1] & 0x80) != 0;
  if (t->haveSeq) {
    uint16_t ahead = static_cast<uint16_t>(seq - t->nextSeq);
    if (ahead >= 0x8000) return;  // late or duplicate: not a gap
    if (ahead != 0 && measuring_) {
      report_.seqLost += ahead;
      ++report_.seqGapEvents;
    }
  }
  t->haveSeq = true;
  t->nextSeq = static_cast<uint16_t>(seq + 1);
  t->ts = t->haveTs ? t->ts + static_cast<int32_t>(ts - t->lastTs) : 0;
  t->haveTs = true;
  t->lastTs = ts;
  if (!measuring_) return;
  ++report_.rtpPackets;
  if (t->counted && marker) {
    // Arrival of a frame's last packet against its RTP timestamp (see README: lateness).
    ++c.frames;
    double offset = now - static_cast<double>(t->ts) / t->track.clockRate;
    if (std::isnan(c.anchor)) c.anchor = offset;
    if (c.offsetsMs.size() < kMaxSamplesPerReader)
      c.offsetsMs.push_back(static_cast<float>((offset - c.anchor) * 1e3));
  }
}

void LoadClient::housekeeping(double now) {
  while (launched_ < options_.readers && handshaking_ < options_.inflight) launch(now);
  for (auto& cp : conns_) {
    Conn& c = *cp;
    if (c.phase == Phase::Done) continue;
    if (c.phase != Phase::Playing) {
      if (now - c.startedAt > options_.handshakeTimeoutS) fail(c, "timeout");
    } else if (now >= c.nextKeepalive) {
      // RFC 2326 §10.8: GET_PARAMETER with no body keeps the session alive.
      c.nextKeepalive = now + c.keepaliveS;
      sendRequest(c, "GET_PARAMETER", c.desc.aggregateUrl, "");
    }
  }
}

Report LoadClient::run() {
  if (epoll_ < 0) return report_;
  double start = monotonicS();
  double lastHousekeeping = 0;
  double warmupEnd = -1;
  double cpuStart = 0;
  std::vector<epoll_event> events(1024);
  for (;;) {
    int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 20);
    double now = monotonicS();
    for (int i = 0; i < n; ++i) {
      Conn& c = *conns_[events[i].data.u32];
      if (c.phase == Phase::Done) continue;
      uint32_t ev = events[i].events;
      if (c.phase == Phase::Connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0 || (ev & (EPOLLERR | EPOLLHUP))) {
          fail(c, "connect");
          continue;
        }
        c.phase = Phase::Options;
        sendRequest(c, "OPTIONS", options_.url, "");
        continue;
      }
      if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) onReadable(c, now);
      if ((ev & EPOLLOUT) && c.phase != Phase::Done) onWritable(c);
    }
    if (now - lastHousekeeping >= kHousekeepingS) {
      lastHousekeeping = now;
      housekeeping(now);
    }
    bool allStarted = launched_ == options_.readers && handshaking_ == 0;
    if (!measuring_) {
      if (allStarted && playing_ == 0) {  // nothing to measure
        std::fprintf(stderr, "READY\nWINDOW_END\n");
        return finish(now, now, cpuS());
      }
      if (warmupEnd < 0 && (allStarted || now - start > options_.rampTimeoutS)) warmupEnd = now + options_.warmupS;
      if (warmupEnd >= 0 && now >= warmupEnd) {
        measuring_ = true;
        windowStart_ = now;
        cpuStart = cpuS();
        std::fprintf(stderr, "READY\n");
      }
    } else if (now - windowStart_ >= options_.durationS) {
      std::fprintf(stderr, "WINDOW_END\n");
      return finish(now, windowStart_, cpuStart);
    }
  }
}

Report LoadClient::finish(double now, double windowStart, double cpuStart) {
  Report r = report_;
  r.windowS = now - windowStart;
  r.clientCpuPct = r.windowS > 0 ? 100.0 * (cpuS() - cpuStart) / r.windowS : 0;
  std::vector<uint64_t> frames;
  std::vector<float> lateness;
  for (auto& c : conns_) {
    if (!c->played) continue;
    frames.push_back(c->frames);
    // Zero is the reader's earliest frame relative to the RTP schedule.
    float best = c->offsetsMs.empty() ? 0 : *std::min_element(c->offsetsMs.begin(), c->offsetsMs.end());
    for (float o : c->offsetsMs) lateness.push_back(o - best);
  }
  std::sort(frames.begin(), frames.end());
  if (!frames.empty()) {
    r.framesMin = frames.front();
    r.framesMedian = frames[frames.size() / 2];
    r.framesMax = frames.back();
  }
  r.lateness = percentiles(std::move(lateness));
  r.firstPacket = percentiles(firstPacketMs_);
  return r;
}

}  // namespace ocellus::bench
