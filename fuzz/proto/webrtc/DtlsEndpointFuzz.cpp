// Feeds arbitrary datagrams to a server-role DtlsEndpoint, and to one that a real client is
// handshaking with while the input corrupts, drops or injects datagrams on the way. Nothing may
// crash or leak; every datagram either side sends must be DTLS records end to end within the
// MTU; nothing is accepted after the association failed or closed; and keys exist only when
// the handshake completed with the pinned client certificate.
//
// Input: byte 0 selects the mode (bit 0: man in the middle; bit 1: only AES128_CM_SHA1_80;
// bit 2: call onTimeout after each datagram; bit 3, with a man in the middle: once connected,
// free the server's OpenSSL state (peerFinished), feed it the rest of the input as datagrams,
// and then the client's close_notify, which must close it unless something else ended it).
// Then, without a man in the middle, datagrams as [length u16][bytes]; with one, per client
// datagram one command [op][position u16][value]:
// op % 5 = 0 pass, 1 flip bits at position, 2 drop, 3 truncate at position, 4 pass and inject
// the next length-prefixed datagram of the input after it.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <optional>
#include <vector>

#include "proto/webrtc/DtlsEndpoint.h"
#include "proto/webrtc/DtlsRecord.h"

using namespace ocellus::proto::webrtc;
using Bytes = std::vector<std::uint8_t>;

namespace {

struct Sink : DtlsEndpoint::Listener {
  std::deque<Bytes> sent;
  bool connected = false;
  bool failed = false;
  bool closed = false;
  void onDtlsSend(DtlsEndpoint&, std::span<const std::uint8_t> d) override {
    if ((d.size() > DtlsEndpoint::kDefaultMtu || !DtlsRecord::parseDatagram(d))) std::abort();
    sent.emplace_back(d.begin(), d.end());
  }
  void onDtlsConnected(DtlsEndpoint& e, const DtlsSrtpKeys& keys) override {
    if (connected || e.srtpKeys() == nullptr || keys.local.key.size() != 16) std::abort();
    connected = true;
  }
  void onDtlsFailed(DtlsEndpoint& e, const ocellus::base::Error&) override {
    if (e.state() != DtlsState::Failed) std::abort();
    failed = true;
  }
  void onDtlsClosed(DtlsEndpoint& e) override {
    if (e.state() != DtlsState::Closed) std::abort();
    closed = true;
  }
};

struct Input {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  bool take(std::size_t n, const std::uint8_t*& out) {
    if (size - at < n) return false;
    out = data + at;
    at += n;
    return true;
  }
  std::optional<std::span<const std::uint8_t>> datagram() {
    const std::uint8_t* length;
    if (!take(2, length)) return std::nullopt;
    const std::size_t n = std::min(std::size_t{length[0]} << 8 | length[1], size - at);
    const std::uint8_t* bytes = data + at;
    at += n;
    return std::span<const std::uint8_t>(bytes, n);
  }
};

const DtlsCertificate& certificate(int which) {
  static const DtlsCertificate server = DtlsCertificate::generate().value();
  static const DtlsCertificate client = DtlsCertificate::generate().value();
  return which == 0 ? server : client;
}

void checkAfter(DtlsEndpoint& server, const Sink& events, std::span<const std::uint8_t> datagram,
                ocellus::base::SteadyTime now) {
  const DtlsState state = server.state();
  if ((state == DtlsState::Failed || state == DtlsState::Closed) && !datagram.empty() &&
      server.feed(datagram, now).ok()) {
    std::abort();
  }
  if ((server.srtpKeys() != nullptr) != events.connected) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  Input in{data + 1, size - 1};
  const std::uint8_t mode = data[0];
  const bool middle = mode & 1;
  const bool timeouts = mode & 4;
  DtlsEndpoint::Config serverConfig;
  serverConfig.role = DtlsRole::Server;
  if (mode & 2) serverConfig.srtpProfiles = {SrtpProfile::Aes128CmSha1_80};
  serverConfig.initialRetransmit = std::chrono::milliseconds(20);
  Sink serverEvents;
  auto server = DtlsEndpoint::create(certificate(0), serverConfig, serverEvents);
  if (!server) std::abort();
  (void)(*server)->expectFingerprint("sha-256", certificate(1).fingerprintHex());
  ocellus::base::SteadyTime now{std::chrono::seconds(1000)};

  if (!middle) {
    while (auto datagram = in.datagram()) {
      (void)(*server)->feed(*datagram, now);
      if (timeouts) (*server)->onTimeout(now += std::chrono::milliseconds(100));
      checkAfter(**server, serverEvents, *datagram, now);
    }
    (void)(*server)->nextTimeout(now);
    (*server)->close();
    return 0;
  }

  DtlsEndpoint::Config clientConfig;
  clientConfig.role = DtlsRole::Client;
  Sink clientEvents;
  auto client = DtlsEndpoint::create(certificate(1), clientConfig, clientEvents);
  if (!client) std::abort();
  (void)(*client)->expectFingerprint("sha-256", certificate(0).fingerprintHex());
  (void)(*client)->start(now);
  for (int round = 0; round < 16 && (!clientEvents.sent.empty() || !serverEvents.sent.empty()); ++round) {
    while (!clientEvents.sent.empty()) {
      Bytes d = std::move(clientEvents.sent.front());
      clientEvents.sent.pop_front();
      const std::uint8_t* command;
      std::optional<std::span<const std::uint8_t>> injected;
      if (in.take(4, command)) {
        const std::size_t position = std::size_t{command[1]} << 8 | command[2];
        switch (command[0] % 5) {
          case 1:
            if (!d.empty()) d[position % d.size()] ^= command[3] | 1;
            break;
          case 2:
            d.clear();
            break;
          case 3:
            d.resize(std::min(d.size(), position % (d.size() + 1)));
            break;
          case 4:
            injected = in.datagram();
            break;
          default:
            break;
        }
      }
      if (!d.empty()) (void)(*server)->feed(d, now);
      checkAfter(**server, serverEvents, d, now);
      if (injected) {
        (void)(*server)->feed(*injected, now);
        checkAfter(**server, serverEvents, *injected, now);
      }
      if (timeouts) (*server)->onTimeout(now += std::chrono::milliseconds(100));
    }
    while (!serverEvents.sent.empty()) {
      (void)(*client)->feed(serverEvents.sent.front(), now);
      serverEvents.sent.pop_front();
    }
    if (clientEvents.connected && !serverEvents.connected && clientEvents.sent.empty()) break;
  }
  // Untouched, the two connect; once the server says connected, its keys mirror the client's.
  if (serverEvents.connected && clientEvents.connected &&
      (*server)->srtpKeys()->remote.key != (*client)->srtpKeys()->local.key) {
    std::abort();
  }
  if (in.at == 0 && !serverEvents.connected) std::abort();
  if ((mode & 8) && serverEvents.connected && clientEvents.connected) {
    if (!(*server)->peerFinished() || (*server)->holdsSsl()) std::abort();
    serverEvents.sent.clear();
    while (auto datagram = in.datagram()) {
      (void)(*server)->feed(*datagram, now);
      checkAfter(**server, serverEvents, *datagram, now);
    }
    if ((*server)->state() != DtlsState::Connected) return 0;
    clientEvents.sent.clear();
    (*client)->close();
    for (const Bytes& d : clientEvents.sent) (void)(*server)->feed(d, now);
    if ((*server)->state() != DtlsState::Closed || !serverEvents.closed || serverEvents.sent.size() != 1)
      std::abort();
  }
  return 0;
}
