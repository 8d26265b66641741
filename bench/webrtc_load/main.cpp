// webrtc_load — N WHEP viewers over WebRTC on one thread; one line of JSON at the end.
//   webrtc_load --url http://127.0.0.1:8080/bench/whep --viewers 1000 --duration 15
// Field meanings: bench/README.md.
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "LoadClient.h"

namespace {

constexpr const char* kUsage =
    "usage: webrtc_load --url http://HOST:PORT/PATH/whep [--viewers N=10] [--duration S=15] [--warmup S=2]\n"
    "                   [--inflight N=50] [--rate N/s=0] [--timeout S=10] [--ramp-timeout S=60]\n"
    "                   [--consent S=5] [--decrypt-every N=50] [--token JWT] [--no-delete]\n"
    "       webrtc_load --url http://HOST:PORT/janus --janus-mountpoint ID ...   (Janus streaming plugin)\n";

std::string jsonString(std::string_view s) {
  std::string r = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') r += '\\';
    if (static_cast<unsigned char>(ch) >= 0x20) r += ch;
  }
  return r + "\"";
}

std::string number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// One JSON object, written member by member in order.
class JsonObject {
 public:
  JsonObject& raw(std::string_view name, const std::string& json) {
    out_ += (out_.size() > 1 ? "," : "") + jsonString(name) + ":" + json;
    return *this;
  }
  JsonObject& add(std::string_view name, std::string_view text) { return raw(name, jsonString(text)); }
  JsonObject& add(std::string_view name, uint64_t v) { return raw(name, std::to_string(v)); }
  JsonObject& add(std::string_view name, int v) { return raw(name, std::to_string(v)); }
  JsonObject& add(std::string_view name, int64_t v) { return raw(name, std::to_string(v)); }
  JsonObject& add(std::string_view name, double v, int decimals) { return raw(name, number(v, decimals)); }
  JsonObject& add(std::string_view name, const ocellus::bench::Percentiles& p) {
    return raw(name, JsonObject()
                         .add("samples", static_cast<uint64_t>(p.samples))
                         .add("p50", p.p50, 2)
                         .add("p95", p.p95, 2)
                         .add("p99", p.p99, 2)
                         .add("max", p.max, 2)
                         .str());
  }
  JsonObject& add(std::string_view name, const ocellus::bench::Spread& s) {
    return raw(name, JsonObject().add("min", s.min, 2).add("median", s.median, 2).add("max", s.max, 2).str());
  }
  JsonObject& add(std::string_view name, const std::map<std::string, int>& counts) {
    JsonObject o;
    for (const auto& [key, count] : counts) o.add(key, count);
    return raw(name, o.str());
  }
  std::string str() const { return out_ + "}"; }

 private:
  std::string out_ = "{";
};

}  // namespace

int main(int argc, char** argv) {
  using namespace ocellus::bench;
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--no-delete") {
      o.deleteSessions = false;
      continue;
    }
    if (i + 1 >= argc) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    const char* v = argv[++i];
    if (a == "--url")
      o.url = v;
    else if (a == "--viewers")
      o.viewers = std::atoi(v);
    else if (a == "--duration")
      o.durationS = std::atof(v);
    else if (a == "--warmup")
      o.warmupS = std::atof(v);
    else if (a == "--inflight")
      o.inflight = std::atoi(v);
    else if (a == "--rate")
      o.rate = std::atof(v);
    else if (a == "--timeout")
      o.handshakeTimeoutS = std::atof(v);
    else if (a == "--ramp-timeout")
      o.rampTimeoutS = std::atof(v);
    else if (a == "--consent")
      o.consentS = std::atof(v);
    else if (a == "--decrypt-every")
      o.decryptEvery = std::atoi(v);
    else if (a == "--token")
      o.token = v;
    else if (a == "--janus-mountpoint")
      o.janusMountpoint = std::strtoull(v, nullptr, 10);
    else {
      std::fputs(kUsage, stderr);
      return 2;
    }
  }
  auto url = parseHttpUrl(o.url);
  if (!url || o.viewers < 1 || o.inflight < 1 || o.durationS <= 0 || o.consentS <= 0 || o.decryptEvery < 0) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  o.target = *url;

  // One UDP socket per viewer, and a TCP one while it POSTs.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }

  LoadClient client(o);
  if (!client.setupError().empty()) {
    std::fprintf(stderr, "webrtc_load: %s\n", client.setupError().c_str());
    return 2;
  }
  Report r = client.run();

  const double mbit = r.windowS > 0 ? static_cast<double>(r.bytes) * 8 / r.windowS / 1e6 : 0;
  JsonObject json;
  json.add("url", o.url)
      .add("viewers", o.viewers)
      .add("connected", r.connected)
      .add("failed", r.failed)
      .add("failures", r.failures)
      .add("closed_early", r.closedEarly)
      .add("closures", r.closures)
      .add("stalled", r.stalled)
      .add("served", r.served)
      .add("window_s", r.windowS, 3)
      .add("bytes", r.bytes)
      .add("mbit_s", mbit, 1)
      .add("rtp_packets", r.rtpPackets)
      .add("rtcp_packets", r.rtcpPackets)
      .add("packets_per_s_per_viewer", r.packetsPerS)
      .add("kbit_s_per_viewer", r.kbitPerS)
      .add("frames_per_s_per_viewer", r.framesPerS)
      .add("seq_lost", r.seqLost)
      .add("seq_gap_events", r.seqGapEvents)
      .add("nack_packets", r.nackPackets)
      .add("nacked_seqs", r.nackedSeqs)
      .add("recovered", r.recovered)
      .add("unexpected_old", r.unexpectedOld)
      .add("foreign_ssrc", r.foreignSsrc)
      .raw("srtp", JsonObject()
                       .add("profile", r.srtpProfile)
                       .add("checked", r.srtpChecked)
                       .add("ok", r.srtpOk)
                       .add("auth_failures", r.srtpAuthFailures)
                       .add("other_failures", r.srtpOtherFailures)
                       .str())
      .add("first_packet_keyframe", r.firstPacketKeyframe)
      .add("first_frame_ms", r.firstFrame)
      .add("first_keyframe_ms", r.firstKeyframe)
      .add("signaling_ms", r.signaling)
      .add("ice_ms", r.ice)
      .add("dtls_ms", r.dtls)
      .add("media_ms", r.media)
      .add("check_retransmits", r.checkRetransmits)
      .raw("consent", JsonObject()
                          .add("sent", r.consentSent)
                          .add("answered", r.consentAnswered)
                          .add("unanswered_whole_run", r.consentUnanswered)
                          .str())
      .raw("sent", JsonObject()
                       .add("checks", r.sent.checks)
                       .add("consent", r.sent.consent)
                       .add("check_answers", r.sent.checkAnswers)
                       .add("dtls", r.sent.dtls)
                       .add("rtcp", r.sent.rtcp)
                       .str())
      .add("udp_rcvbuf_errors", r.udpRcvbufErrors)
      .add("deleted", r.deleted)
      .add("delete_failures", r.deleteFailures)
      .add("client_cpu_pct", r.clientCpuPct, 1)
      .add("client_rss_mb", r.clientRssMb, 1);
  std::printf("%s\n", json.str().c_str());
  return r.connected > 0 ? 0 : 1;
}
