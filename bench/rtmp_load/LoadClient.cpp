#include "LoadClient.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <thread>

#include "base/ByteWriter.h"
#include "common/Measure.h"
#include "proto/rtmp/Amf0.h"
#include "proto/rtmp/ChunkReader.h"
#include "proto/rtmp/ChunkWriter.h"
#include "proto/rtmp/Message.h"

namespace ocellus::bench::rtmp {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using proto::rtmp::Amf0;
using proto::rtmp::Amf0Property;
using proto::rtmp::Amf0Value;
using proto::rtmp::ChunkReader;
using proto::rtmp::ChunkWriter;
using proto::rtmp::Message;
using proto::rtmp::MessageType;
using proto::rtmp::UserControlEvent;

constexpr std::size_t kReadSize = 64 * 1024;
constexpr std::size_t kHandshakeSize = 1536;      // C1, C2, S1, S2 (§5.2.3)
constexpr std::uint32_t kOutChunkSize = 128;      // we never change ours (§5.4.1 default)
constexpr std::uint32_t kPlayCsid = 8;            // FFmpeg's chunk stream for play
constexpr double kStallS = 2;
constexpr std::size_t kMaxOffsetsPerPlayer = 36000;  // 20 min of 30 fps

double nowS() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Shared by every thread: the window edges and the start gate.
struct Shared {
  std::atomic<bool> measuring{false};
  std::atomic<bool> stopping{false};
  std::atomic<int> settled{0};   // connected + failed
  std::atomic<int> inflight{0};  // players between connect and Play.Start
};

enum class State { Connecting, Handshake, Connect, CreateStream, Play, Playing, Done };

struct Player {
  explicit Player(asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  State state = State::Connecting;
  std::vector<std::uint8_t> readBuf = std::vector<std::uint8_t>(kReadSize);
  std::size_t handshakeHave = 0;  // S0 + S1 + S2 bytes received
  std::vector<std::uint8_t> s1;   // echoed as C2
  ChunkReader reader;
  std::vector<std::uint8_t> out, sending;
  bool writing = false;
  std::uint32_t ackWindow = 0;
  std::uint64_t lastAck = 0;
  double startS = 0, firstVideoS = -1, lastVideoS = -1;
  bool counted = false;  // settled counted
  bool closedEarly = false;
  std::string failure;
  // Window counters.
  std::uint64_t bytes = 0, video = 0, audio = 0, other = 0, tsDropped = 0, tsGaps = 0;
  std::int64_t lastTs = -1;
  std::vector<float> offsets;  // arrival (ms) − timestamp, per video message in the window
  float lastOffset = 0;
};

class Context {
 public:
  Context(const Options& o, Shared& shared, const tcp::endpoint& target, int quota)
      : o_(o), shared_(shared), target_(target), quota_(quota), tick_(io_) {}

  void run() {
    tickLater();
    io_.run();
  }
  void stop() {
    asio::post(io_, [this] {
      tick_.cancel();
      for (auto& p : players_) {
        boost::system::error_code ec;
        p->socket.close(ec);
      }
    });
  }
  const std::vector<std::unique_ptr<Player>>& players() const { return players_; }

 private:
  void tickLater() {
    tick_.expires_after(std::chrono::milliseconds(20));
    tick_.async_wait([this](boost::system::error_code ec) {
      if (ec || shared_.stopping) return;
      housekeeping();
      tickLater();
    });
  }

  void housekeeping() {
    const double now = nowS();
    for (auto& p : players_) {
      if (p->state != State::Playing && p->state != State::Done && now - p->startS > o_.timeoutS) {
        fail(*p, "timeout (" + std::string(stateName(p->state)) + ")");
      }
    }
    // Start as many players as the shared in-flight budget allows.
    while (launched_ < quota_) {
      int cur = shared_.inflight.load();
      if (cur >= o_.inflight) break;
      if (!shared_.inflight.compare_exchange_weak(cur, cur + 1)) continue;
      launch();
    }
  }

  static const char* stateName(State s) {
    switch (s) {
      case State::Connecting: return "connect";
      case State::Handshake: return "handshake";
      case State::Connect: return "connect command";
      case State::CreateStream: return "createStream";
      case State::Play: return "play";
      case State::Playing: return "playing";
      case State::Done: return "done";
    }
    return "?";
  }

  void launch() {
    ++launched_;
    players_.push_back(std::make_unique<Player>(io_));
    Player& p = *players_.back();
    p.startS = nowS();
    p.socket.async_connect(target_, [this, &p](boost::system::error_code ec) {
      if (p.state == State::Done) return;
      if (ec) return fail(p, "connect: " + ec.message());
      p.socket.set_option(tcp::no_delay(true));
      // C0 (version 3) + C1: time (4) zero (4) random (1528), the plain handshake (§5.2.3).
      p.state = State::Handshake;
      p.out.push_back(3);
      p.out.resize(1 + kHandshakeSize, 0);
      for (std::size_t i = 9; i < p.out.size(); ++i) p.out[i] = static_cast<std::uint8_t>(rng_());
      flush(p);
      read(p);
    });
  }

  void settle(Player& p) {
    if (p.counted) return;
    p.counted = true;
    shared_.inflight.fetch_sub(1);
    shared_.settled.fetch_add(1);
  }

  void fail(Player& p, const std::string& why) {
    if (p.state == State::Done) return;
    if (p.state == State::Playing) {
      if (!shared_.stopping) p.closedEarly = true;
    } else {
      p.failure = why;
      settle(p);
    }
    p.state = State::Done;
    boost::system::error_code ec;
    p.socket.close(ec);
  }

  void read(Player& p) {
    p.socket.async_read_some(asio::buffer(p.readBuf), [this, &p](boost::system::error_code ec, std::size_t n) {
      if (p.state == State::Done) return;
      if (ec) return fail(p, ec == asio::error::eof ? "closed by the server" : "read: " + ec.message());
      const double now = nowS();
      if (shared_.measuring.load(std::memory_order_relaxed)) p.bytes += n;
      if (!consume(p, std::span<const std::uint8_t>(p.readBuf.data(), n), now)) return;
      flush(p);
      read(p);
    });
  }

  bool consume(Player& p, std::span<const std::uint8_t> in, double now) {
    if (p.state == State::Handshake) {
      // S0 (1) + S1 (1536) + S2 (1536). C2 echoes S1 and goes out with connect as soon as S1 is in.
      const std::size_t need = 1 + 2 * kHandshakeSize;
      const std::size_t take = std::min(in.size(), need - p.handshakeHave);
      for (std::size_t i = 0; i < take; ++i) {
        const std::size_t at = p.handshakeHave + i;
        if (at == 0 && in[i] != 3) {
          fail(p, "handshake: version " + std::to_string(in[i]));
          return false;
        }
        if (at >= 1 && at < 1 + kHandshakeSize) p.s1.push_back(in[i]);
      }
      const bool hadS1 = p.handshakeHave >= 1 + kHandshakeSize;
      p.handshakeHave += take;
      in = in.subspan(take);
      if (!hadS1 && p.handshakeHave >= 1 + kHandshakeSize) {
        p.out.insert(p.out.end(), p.s1.begin(), p.s1.end());
        p.s1.clear();
        p.s1.shrink_to_fit();
        sendConnect(p);
      }
      if (p.handshakeHave < need) return true;
      p.state = State::Connect;
    }
    auto status = p.reader.feed(in, [&](const Message& m) { return onMessage(p, m, now); });
    if (!status) {
      fail(p, "chunk stream: " + status.error().message);
      return false;
    }
    if (p.ackWindow > 0 && p.reader.bytesReceived() - p.lastAck >= p.ackWindow) {
      // Acknowledgement (§5.4.3): the sequence number is the bytes received so far.
      p.lastAck = p.reader.bytesReceived();
      std::vector<std::uint8_t> body;
      base::ByteWriter(body).u32(static_cast<std::uint32_t>(p.lastAck));
      send(p, ChunkWriter::kControlCsid, 0, MessageType::Acknowledgement, body);
    }
    return p.state != State::Done;
  }

  base::Status onMessage(Player& p, const Message& m, double now) {
    const bool measuring = shared_.measuring.load(std::memory_order_relaxed);
    switch (m.type) {
      case MessageType::Video: {
        if (p.firstVideoS < 0) p.firstVideoS = now;
        p.lastVideoS = now;
        if (m.payload.size() >= 2 && m.payload[0] % 16 == 7 && m.payload[1] == 0) break;  // AVC sequence header
        if (!measuring) {
          p.lastTs = -1;
          break;
        }
        ++p.video;
        const std::int64_t ts = m.timestamp;
        const double interval = 1000.0 / o_.fps;
        if (p.lastTs >= 0 && static_cast<double>(ts - p.lastTs) > 1.5 * interval) {
          ++p.tsGaps;
          p.tsDropped += static_cast<std::uint64_t>(std::lround(static_cast<double>(ts - p.lastTs) / interval)) - 1;
        }
        p.lastTs = ts;
        p.lastOffset = static_cast<float>(now * 1000.0 - static_cast<double>(ts));
        if (p.offsets.size() < kMaxOffsetsPerPlayer) p.offsets.push_back(p.lastOffset);
        break;
      }
      case MessageType::Audio:
        if (measuring) ++p.audio;
        break;
      case MessageType::WindowAckSize:
        if (m.payload.size() >= 4) {
          p.ackWindow = (std::uint32_t{m.payload[0]} << 24) | (std::uint32_t{m.payload[1]} << 16) |
                        (std::uint32_t{m.payload[2]} << 8) | m.payload[3];
        }
        break;
      case MessageType::UserControl:
        // Ping request (§7.1.7, event 6) → ping response with the same timestamp.
        if (m.payload.size() >= 6 && m.payload[0] == 0 &&
            m.payload[1] == static_cast<std::uint8_t>(UserControlEvent::PingRequest)) {
          std::vector<std::uint8_t> body(m.payload.begin(), m.payload.begin() + 6);
          body[1] = static_cast<std::uint8_t>(UserControlEvent::PingResponse);
          send(p, ChunkWriter::kControlCsid, 0, MessageType::UserControl, body);
        }
        break;
      case MessageType::CommandAmf0:
        return onCommand(p, m);
      default:
        if (measuring) ++p.other;
        break;
    }
    return {};
  }

  base::Status onCommand(Player& p, const Message& m) {
    auto values = Amf0::decodeAll(m.payload);
    if (!values || values->empty() || !(*values)[0].isString()) return {};  // not ours to judge
    const auto& v = *values;
    const std::string& name = v[0].string;
    const double txn = v.size() > 1 ? v[1].number : 0;
    if (name == "_error") {
      std::string why = "_error";
      if (v.size() > 3) {
        if (auto code = v[3].getString("code")) why += std::string(" ") + std::string(*code);
      }
      fail(p, why);
      return {};
    }
    if (name == "_result" && txn == 1 && p.state == State::Connect) {
      p.state = State::CreateStream;
      command(p, 0, ChunkWriter::kCommandCsid,
              {Amf0Value::makeString("createStream"), Amf0Value::makeNumber(2), Amf0Value::makeNull()});
    } else if (name == "_result" && txn == 2 && p.state == State::CreateStream) {
      const auto streamId = static_cast<std::uint32_t>(v.size() > 3 ? v[3].number : 1);
      p.state = State::Play;
      command(p, streamId, kPlayCsid,
              {Amf0Value::makeString("play"), Amf0Value::makeNumber(3), Amf0Value::makeNull(),
               Amf0Value::makeString(o_.stream), Amf0Value::makeNumber(-1000)});
    } else if (name == "onStatus" && v.size() > 3) {
      const auto code = v[3].getString("code").value_or("");
      const auto level = v[3].getString("level").value_or("");
      if (level == "error" || code == "NetStream.Play.StreamNotFound" || code == "NetStream.Play.Failed") {
        fail(p, "onStatus " + std::string(code));
      } else if (code == "NetStream.Play.Start" && p.state == State::Play) {
        p.state = State::Playing;
        settle(p);
      }
    }
    return {};
  }

  void sendConnect(Player& p) {
    const std::string tcUrl = "rtmp://" + o_.host + ":" + std::to_string(o_.port) + "/" + o_.app;
    std::vector<Amf0Property> props = {
        {"app", Amf0Value::makeString(o_.app)},
        {"flashVer", Amf0Value::makeString("LNX 9,0,124,2")},
        {"tcUrl", Amf0Value::makeString(tcUrl)},
        {"fpad", Amf0Value::makeBoolean(false)},
        {"capabilities", Amf0Value::makeNumber(15)},
        {"audioCodecs", Amf0Value::makeNumber(4071)},
        {"videoCodecs", Amf0Value::makeNumber(252)},
        {"videoFunction", Amf0Value::makeNumber(1)},
    };
    command(p, 0, ChunkWriter::kCommandCsid,
            {Amf0Value::makeString("connect"), Amf0Value::makeNumber(1), Amf0Value::makeObject(std::move(props))});
  }

  void command(Player& p, std::uint32_t streamId, std::uint32_t csid, std::vector<Amf0Value> values) {
    const auto body = Amf0::encodeAll(values);
    send(p, csid, streamId, MessageType::CommandAmf0, body);
  }

  void send(Player& p, std::uint32_t csid, std::uint32_t streamId, MessageType type,
            std::span<const std::uint8_t> body) {
    ChunkWriter::encode(p.out, ChunkWriter::Header{csid, streamId, type, 0}, {}, body, kOutChunkSize);
  }

  void flush(Player& p) {
    if (p.writing || p.out.empty() || p.state == State::Done) return;
    p.writing = true;
    p.sending.swap(p.out);
    p.out.clear();
    asio::async_write(p.socket, asio::buffer(p.sending), [this, &p](boost::system::error_code ec, std::size_t) {
      p.writing = false;
      p.sending.clear();
      if (p.state == State::Done) return;
      if (ec) return fail(p, "write: " + ec.message());
      flush(p);
    });
  }

  const Options& o_;
  Shared& shared_;
  tcp::endpoint target_;
  int quota_;
  int launched_ = 0;
  asio::io_context io_;
  asio::steady_timer tick_;
  std::vector<std::unique_ptr<Player>> players_;
  std::minstd_rand rng_{std::random_device{}()};

 public:
  asio::io_context& io() { return io_; }
};

}  // namespace

Report runLoad(const Options& o) {
  Shared shared;
  asio::io_context resolverIo;
  tcp::resolver resolver(resolverIo);
  boost::system::error_code ec;
  auto found = resolver.resolve(o.host, std::to_string(o.port), ec);
  Report r;
  if (ec || found.empty()) {
    r.failed = o.players;
    r.failures["resolve: " + ec.message()] = o.players;
    return r;
  }
  const tcp::endpoint target = *found.begin();

  std::vector<std::unique_ptr<Context>> contexts;
  for (int t = 0; t < o.threads; ++t) {
    const int quota = o.players / o.threads + (t < o.players % o.threads ? 1 : 0);
    contexts.push_back(std::make_unique<Context>(o, shared, target, quota));
  }
  std::vector<std::thread> threads;
  for (auto& c : contexts) threads.emplace_back([&c] { c->run(); });

  const double start = nowS();
  while (shared.settled.load() < o.players && nowS() - start < o.rampTimeoutS) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmupS));
  std::fputs("READY\n", stderr);
  std::fflush(stderr);
  const double cpu0 = processCpuMs();
  const double t0 = nowS();
  shared.measuring = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(o.durationS));
  shared.measuring = false;
  const double t1 = nowS();
  const double cpu1 = processCpuMs();
  std::fputs("WINDOW_END\n", stderr);
  std::fflush(stderr);
  shared.stopping = true;
  for (auto& c : contexts) c->stop();
  for (auto& t : threads) t.join();

  r.windowS = t1 - t0;
  r.clientCpuPct = (cpu1 - cpu0) / 10.0 / r.windowS;
  const double expected = o.fps * r.windowS;
  std::vector<double> videoRates, kbits, lateness, firstVideo;
  for (auto& c : contexts) {
    for (auto& pp : c->players()) {
      const Player& p = *pp;
      if (!p.failure.empty()) {
        ++r.failed;
        ++r.failures[p.failure];
        continue;
      }
      if (!p.counted) {  // launched but neither playing nor failed when the window closed
        ++r.failed;
        ++r.failures["not playing when the window closed"];
        continue;
      }
      ++r.connected;
      if (p.closedEarly) ++r.closedEarly;
      r.bytes += p.bytes;
      r.videoMessages += p.video;
      r.audioMessages += p.audio;
      r.otherMessages += p.other;
      r.tsDropped += p.tsDropped;
      r.tsGapEvents += p.tsGaps;
      if (p.tsGaps > 0) ++r.playersWithGaps;
      if (static_cast<double>(p.video) >= o.fullRate * expected) ++r.fullRate;
      if (p.firstVideoS >= 0) firstVideo.push_back((p.firstVideoS - p.startS) * 1000);
      if (!p.closedEarly && (p.lastVideoS < 0 || t1 - p.lastVideoS > kStallS)) ++r.stalled;
      videoRates.push_back(static_cast<double>(p.video) / r.windowS);
      kbits.push_back(static_cast<double>(p.bytes) * 8 / 1000 / r.windowS);
      if (!p.offsets.empty()) {
        const float least = *std::min_element(p.offsets.begin(), p.offsets.end());
        for (float off : p.offsets) lateness.push_back(off - least);
        if (p.lastOffset - least > o.lagMs) ++r.lagging;
      }
    }
  }
  // Players never launched (ramp timeout hit first).
  const int launched = r.connected + r.failed;
  if (launched < o.players) {
    r.failed += o.players - launched;
    r.failures["not started before the ramp timeout"] += o.players - launched;
  }
  if (!videoRates.empty()) {
    r.videoPerPlayerMin = *std::min_element(videoRates.begin(), videoRates.end());
    r.videoPerPlayerMax = *std::max_element(videoRates.begin(), videoRates.end());
    r.videoPerPlayerMedian = percentile(videoRates, 50);
    r.kbitPerPlayerMin = *std::min_element(kbits.begin(), kbits.end());
    r.kbitPerPlayerMedian = percentile(kbits, 50);
  }
  r.lateness = percentiles(std::move(lateness));
  r.firstVideo = percentiles(std::move(firstVideo));
  return r;
}

}  // namespace ocellus::bench::rtmp
