#include "proto/webrtc/DtlsEndpoint.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "proto/webrtc/DtlsRecord.h"
#include "proto/webrtc/PacketKind.h"
#include "proto/webrtc/SrtpSession.h"
#include "unit/TestData.h"

extern char** environ;

namespace ocellus::proto::webrtc {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;

// Records what an endpoint reports. Sends are queued, never fed to the other side from inside
// the callback (the re-entrancy contract forbids the echo that would cause).
struct Recorder : DtlsEndpoint::Listener {
  std::deque<Bytes> sent;
  std::vector<Bytes> everySent;
  std::optional<DtlsSrtpKeys> keys;
  std::optional<base::Error> failure;
  std::vector<Bytes> data;
  int connected = 0;
  int closed = 0;
  std::size_t largest = 0;
  std::function<void(DtlsEndpoint&)> duringCallback;

  void onDtlsSend(DtlsEndpoint& endpoint, std::span<const std::uint8_t> datagram) override {
    sent.emplace_back(datagram.begin(), datagram.end());
    everySent.emplace_back(datagram.begin(), datagram.end());
    largest = std::max(largest, datagram.size());
    if (duringCallback) duringCallback(endpoint);
  }
  void onDtlsConnected(DtlsEndpoint& endpoint, const DtlsSrtpKeys& k) override {
    ++connected;
    keys = k;
    EXPECT_EQ(endpoint.state(), DtlsState::Connected);
  }
  void onDtlsFailed(DtlsEndpoint&, const base::Error& error) override { failure = error; }
  void onDtlsClosed(DtlsEndpoint&) override { ++closed; }
  void onDtlsData(DtlsEndpoint&, std::span<const std::uint8_t> bytes) override {
    data.emplace_back(bytes.begin(), bytes.end());
  }
};

const DtlsCertificate& clientCertificate() {
  static const DtlsCertificate cert = DtlsCertificate::generate().value();
  return cert;
}
const DtlsCertificate& serverCertificate() {
  static const DtlsCertificate cert = DtlsCertificate::generate().value();
  return cert;
}
const DtlsCertificate& strangerCertificate() {
  static const DtlsCertificate cert = DtlsCertificate::generate().value();
  return cert;
}

DtlsEndpoint::Config config(DtlsRole role) {
  DtlsEndpoint::Config c;
  c.role = role;
  return c;
}

struct Pair {
  Recorder clientEvents;
  Recorder serverEvents;
  std::unique_ptr<DtlsEndpoint> client;
  std::unique_ptr<DtlsEndpoint> server;
  base::SteadyTime now = base::SteadyTime(1000s);

  explicit Pair(DtlsEndpoint::Config clientConfig = config(DtlsRole::Client),
                DtlsEndpoint::Config serverConfig = config(DtlsRole::Server), bool pin = true) {
    client = DtlsEndpoint::create(clientCertificate(), clientConfig, clientEvents).value();
    server = DtlsEndpoint::create(serverCertificate(), serverConfig, serverEvents).value();
    if (pin) {
      EXPECT_TRUE(client->expectFingerprint("sha-256", serverCertificate().fingerprintHex()).ok());
      EXPECT_TRUE(server->expectFingerprint("sha-256", clientCertificate().fingerprintHex()).ok());
    }
  }

  // Carries queued datagrams both ways until none is left. drop(fromClient, n, datagram)
  // returning true loses the n-th datagram (counted per direction from 0) on the way.
  void pump(const std::function<bool(bool, int, const Bytes&)>& drop = {}) {
    for (int rounds = 0; rounds < 100 && (!clientEvents.sent.empty() || !serverEvents.sent.empty());
         ++rounds) {
      while (!clientEvents.sent.empty()) {
        Bytes d = std::move(clientEvents.sent.front());
        clientEvents.sent.pop_front();
        if (drop && drop(true, fromClient++, d)) continue;
        (void)server->feed(d, now);
      }
      while (!serverEvents.sent.empty()) {
        Bytes d = std::move(serverEvents.sent.front());
        serverEvents.sent.pop_front();
        if (drop && drop(false, fromServer++, d)) continue;
        (void)client->feed(d, now);
      }
    }
  }

  void handshake() {
    ASSERT_TRUE(client->start(now).ok());
    pump();
  }

  int fromClient = 0;
  int fromServer = 0;
};

void expectMirroredKeys(const Pair& p, SrtpProfile profile) {
  ASSERT_TRUE(p.clientEvents.keys && p.serverEvents.keys);
  const DtlsSrtpKeys& c = *p.clientEvents.keys;
  const DtlsSrtpKeys& s = *p.serverEvents.keys;
  EXPECT_EQ(c.profile, profile);
  EXPECT_EQ(s.profile, profile);
  EXPECT_EQ(c.local.key.size(), srtpKeySize(profile));
  EXPECT_EQ(c.local.salt.size(), srtpSaltSize(profile));
  EXPECT_EQ(c.local.key, s.remote.key);
  EXPECT_EQ(c.local.salt, s.remote.salt);
  EXPECT_EQ(c.remote.key, s.local.key);
  EXPECT_EQ(c.remote.salt, s.local.salt);
  EXPECT_NE(c.local.key, c.remote.key);
}

TEST(DtlsEndpointTest, HandshakeInMemoryExportsMirroredKeys) {
  Pair p;
  EXPECT_EQ(p.client->state(), DtlsState::New);
  EXPECT_FALSE(p.client->nextTimeout(p.now).has_value());
  ASSERT_TRUE(p.client->start(p.now).ok());
  EXPECT_EQ(p.client->state(), DtlsState::Connecting);
  ASSERT_EQ(p.clientEvents.sent.size(), 1u);
  EXPECT_TRUE(DtlsRecord::isClientHello(p.clientEvents.sent.front()));
  EXPECT_EQ(classifyPacket(p.clientEvents.sent.front()), PacketKind::Dtls);
  // The retransmission timer runs while the client waits for the server's flight.
  auto timeout = p.client->nextTimeout(p.now);
  ASSERT_TRUE(timeout.has_value());
  EXPECT_GT(*timeout, p.now + 900ms);
  EXPECT_LE(*timeout, p.now + 1000ms);

  p.pump();
  EXPECT_EQ(p.client->state(), DtlsState::Connected);
  EXPECT_EQ(p.server->state(), DtlsState::Connected);
  EXPECT_EQ(p.clientEvents.connected, 1);
  EXPECT_EQ(p.serverEvents.connected, 1);
  EXPECT_FALSE(p.clientEvents.failure.has_value());
  EXPECT_FALSE(p.serverEvents.failure.has_value());
  expectMirroredKeys(p, SrtpProfile::AeadAes128Gcm);  // GCM preferred when both offer both
  ASSERT_NE(p.client->srtpKeys(), nullptr);
  EXPECT_EQ(p.client->srtpKeys()->local.key, p.clientEvents.keys->local.key);
  // No retransmission timer; only the wait before OpenSSL's state is freed.
  EXPECT_EQ(p.client->nextTimeout(p.now), p.now + 3s);
  EXPECT_EQ(p.server->nextTimeout(p.now), p.now + 3s);
  EXPECT_TRUE(p.server->holdsSsl());
  EXPECT_LE(p.clientEvents.largest, DtlsEndpoint::kDefaultMtu);
  EXPECT_LE(p.serverEvents.largest, DtlsEndpoint::kDefaultMtu);
  EXPECT_EQ(p.client->counters().retransmissions, 0u);
  EXPECT_EQ(p.server->counters().datagramsRejected, 0u);
  EXPECT_EQ(p.server->counters().datagramsSent, p.serverEvents.everySent.size());
  // Every datagram either side sent is DTLS records end to end.
  for (const auto* events : {&p.clientEvents, &p.serverEvents}) {
    for (const Bytes& d : events->everySent) EXPECT_TRUE(DtlsRecord::parseDatagram(d).ok());
  }
}

TEST(DtlsEndpointTest, SmallMtuFragmentsHandshakeMessages) {
  auto c = config(DtlsRole::Client);
  auto s = config(DtlsRole::Server);
  c.mtu = 300;
  s.mtu = 300;
  Pair p(c, s);
  p.handshake();
  EXPECT_EQ(p.client->state(), DtlsState::Connected);
  EXPECT_EQ(p.server->state(), DtlsState::Connected);
  EXPECT_LE(p.clientEvents.largest, 300u);
  EXPECT_LE(p.serverEvents.largest, 300u);
  // The server's certificate message alone is larger than 300 bytes: it must have been split.
  int fragments = 0;
  for (const Bytes& d : p.serverEvents.everySent) {
    auto records = DtlsRecord::parseDatagram(d);
    ASSERT_TRUE(records.ok());
    for (const DtlsRecord& r : *records) {
      auto h = r.handshakeHeader();
      if (h && h->msgType == 11 && h->fragmentLength < h->length) ++fragments;
    }
  }
  EXPECT_GE(fragments, 2);
  expectMirroredKeys(p, SrtpProfile::AeadAes128Gcm);
}

TEST(DtlsEndpointTest, EachProfileCanBeNegotiated) {
  struct Case {
    std::vector<SrtpProfile> client;
    std::vector<SrtpProfile> server;
    SrtpProfile expected;
  };
  const std::vector<Case> cases = {
      {{SrtpProfile::Aes128CmSha1_80},
       {SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80},
       SrtpProfile::Aes128CmSha1_80},
      {{SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80},
       {SrtpProfile::Aes128CmSha1_80},
       SrtpProfile::Aes128CmSha1_80},
      {{SrtpProfile::AeadAes128Gcm},
       {SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80},
       SrtpProfile::AeadAes128Gcm},
      // The server's preference wins over the client's order.
      {{SrtpProfile::Aes128CmSha1_80, SrtpProfile::AeadAes128Gcm},
       {SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80},
       SrtpProfile::AeadAes128Gcm},
  };
  for (const Case& k : cases) {
    auto c = config(DtlsRole::Client);
    auto s = config(DtlsRole::Server);
    c.srtpProfiles = k.client;
    s.srtpProfiles = k.server;
    Pair p(c, s);
    p.handshake();
    ASSERT_EQ(p.client->state(), DtlsState::Connected) << srtpProfileName(k.expected);
    ASSERT_EQ(p.server->state(), DtlsState::Connected);
    expectMirroredKeys(p, k.expected);
  }
}

TEST(DtlsEndpointTest, NoCommonProfileFails) {
  auto c = config(DtlsRole::Client);
  auto s = config(DtlsRole::Server);
  c.srtpProfiles = {SrtpProfile::AeadAes128Gcm};
  s.srtpProfiles = {SrtpProfile::Aes128CmSha1_80};
  Pair p(c, s);
  p.handshake();
  EXPECT_EQ(p.server->state(), DtlsState::Failed);
  ASSERT_TRUE(p.serverEvents.failure.has_value());
  EXPECT_EQ(p.serverEvents.failure->code, base::ErrorCode::Unsupported);
  EXPECT_EQ(p.client->state(), DtlsState::Failed);
  EXPECT_FALSE(p.clientEvents.keys.has_value());
  EXPECT_FALSE(p.serverEvents.keys.has_value());
}

TEST(DtlsEndpointTest, ServerRejectsClientCertificateWithOtherFingerprint) {
  Pair p(config(DtlsRole::Client), config(DtlsRole::Server), false);
  ASSERT_TRUE(p.client->expectFingerprint("sha-256", serverCertificate().fingerprintHex()).ok());
  ASSERT_TRUE(p.server->expectFingerprint("sha-256", strangerCertificate().fingerprintHex()).ok());
  p.handshake();
  EXPECT_EQ(p.server->state(), DtlsState::Failed);
  ASSERT_TRUE(p.serverEvents.failure.has_value());
  EXPECT_EQ(p.serverEvents.failure->code, base::ErrorCode::Unauthorized);
  EXPECT_NE(p.serverEvents.failure->message.find("does not match the remote SDP"), std::string::npos)
      << p.serverEvents.failure->message;
  EXPECT_NE(p.serverEvents.failure->message.find(clientCertificate().fingerprintHex()), std::string::npos);
  EXPECT_EQ(p.serverEvents.connected, 0);
  // The server's alert tells the client, which fails too, with OpenSSL's text for it.
  EXPECT_EQ(p.client->state(), DtlsState::Failed);
  ASSERT_TRUE(p.clientEvents.failure.has_value());
  EXPECT_NE(p.clientEvents.failure->message.find("alert"), std::string::npos)
      << p.clientEvents.failure->message;
  EXPECT_FALSE(p.server->srtpKeys());
  // Nothing more is accepted.
  EXPECT_FALSE(p.server->feed(p.clientEvents.everySent.front(), p.now).ok());
}

TEST(DtlsEndpointTest, ClientRejectsServerCertificateWithOtherFingerprint) {
  Pair p(config(DtlsRole::Client), config(DtlsRole::Server), false);
  ASSERT_TRUE(p.client->expectFingerprint("sha-256", strangerCertificate().fingerprintHex()).ok());
  ASSERT_TRUE(p.server->expectFingerprint("sha-256", clientCertificate().fingerprintHex()).ok());
  p.handshake();
  EXPECT_EQ(p.client->state(), DtlsState::Failed);
  ASSERT_TRUE(p.clientEvents.failure.has_value());
  EXPECT_EQ(p.clientEvents.failure->code, base::ErrorCode::Unauthorized);
  EXPECT_EQ(p.server->state(), DtlsState::Failed);
  EXPECT_EQ(p.clientEvents.connected + p.serverEvents.connected, 0);
}

TEST(DtlsEndpointTest, MissingFingerprintFailsTheHandshake) {
  Pair p(config(DtlsRole::Client), config(DtlsRole::Server), false);
  ASSERT_TRUE(p.client->expectFingerprint("sha-256", serverCertificate().fingerprintHex()).ok());
  p.handshake();
  EXPECT_EQ(p.server->state(), DtlsState::Failed);
  ASSERT_TRUE(p.serverEvents.failure.has_value());
  EXPECT_NE(p.serverEvents.failure->message.find("no fingerprint"), std::string::npos);
}

TEST(DtlsEndpointTest, FingerprintRules) {
  Pair p(config(DtlsRole::Client), config(DtlsRole::Server), false);
  EXPECT_EQ(p.server->expectFingerprint("md5", "AB").error().code, base::ErrorCode::Unsupported);
  EXPECT_EQ(p.server->expectFingerprint("sha-256", "AB:CD").error().code, base::ErrorCode::Malformed);
  std::string bad = clientCertificate().fingerprintHex();
  bad[2] = '-';
  EXPECT_EQ(p.server->expectFingerprint("sha-256", bad).error().code, base::ErrorCode::Malformed);
  bad = clientCertificate().fingerprintHex();
  bad[0] = 'G';
  EXPECT_EQ(p.server->expectFingerprint("sha-256", bad).error().code, base::ErrorCode::Malformed);

  // Lower case and upper-case hash names are fine; with sha-1 (wrong) and sha-512 (right)
  // given, the stronger sha-512 decides (RFC 8122 §5).
  std::string lower = DtlsCertificate::fingerprintOf(clientCertificate().x509(), "sha-512").value();
  for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
  ASSERT_TRUE(p.server->expectFingerprint("SHA-512", lower).ok());
  ASSERT_TRUE(p.server
                  ->expectFingerprint(
                      "sha-1", DtlsCertificate::fingerprintOf(strangerCertificate().x509(), "sha-1").value())
                  .ok());
  ASSERT_TRUE(p.client->expectFingerprint("sha-256", serverCertificate().fingerprintHex()).ok());
  p.handshake();
  EXPECT_EQ(p.server->state(), DtlsState::Connected);
  EXPECT_EQ(p.client->state(), DtlsState::Connected);
}

TEST(DtlsEndpointTest, StrongestHashDecides) {
  Pair p(config(DtlsRole::Client), config(DtlsRole::Server), false);
  // A matching sha-1 does not help when the sha-256 given does not match.
  ASSERT_TRUE(p.server
                  ->expectFingerprint(
                      "sha-1", DtlsCertificate::fingerprintOf(clientCertificate().x509(), "sha-1").value())
                  .ok());
  ASSERT_TRUE(p.server->expectFingerprint("sha-256", strangerCertificate().fingerprintHex()).ok());
  ASSERT_TRUE(p.client->expectFingerprint("sha-256", serverCertificate().fingerprintHex()).ok());
  p.handshake();
  EXPECT_EQ(p.server->state(), DtlsState::Failed);
}

TEST(DtlsEndpointTest, LostClientHelloIsSentAgainOnTimeout) {
  auto c = config(DtlsRole::Client);
  c.initialRetransmit = 100ms;
  Pair p(c);
  ASSERT_TRUE(p.client->start(p.now).ok());
  p.pump([](bool fromClient, int n, const Bytes&) { return fromClient && n == 0; });  // ClientHello lost
  EXPECT_EQ(p.server->state(), DtlsState::New);
  auto due = p.client->nextTimeout(p.now);
  ASSERT_TRUE(due.has_value());
  EXPECT_LE(*due, p.now + 100ms);

  // Too early: OpenSSL's own clock says the timer has not expired, nothing is sent.
  p.client->onTimeout(p.now);
  EXPECT_TRUE(p.clientEvents.sent.empty());

  std::this_thread::sleep_for(110ms);
  p.now += 110ms;
  p.client->onTimeout(p.now);
  ASSERT_EQ(p.clientEvents.sent.size(), 1u);
  EXPECT_TRUE(DtlsRecord::isClientHello(p.clientEvents.sent.front()));
  EXPECT_EQ(p.client->counters().retransmissions, 1u);
  // RFC 6347 §4.2.4.1: the next wait is twice as long.
  auto next = p.client->nextTimeout(p.now);
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(*next, p.now + 150ms);
  EXPECT_LE(*next, p.now + 200ms);

  p.pump();
  EXPECT_EQ(p.client->state(), DtlsState::Connected);
  EXPECT_EQ(p.server->state(), DtlsState::Connected);
  expectMirroredKeys(p, SrtpProfile::AeadAes128Gcm);
}

TEST(DtlsEndpointTest, LostServerFinishedIsRecoveredByClientRetransmission) {
  auto c = config(DtlsRole::Client);
  c.initialRetransmit = 100ms;
  Pair p(c);
  ASSERT_TRUE(p.client->start(p.now).ok());
  // Lose everything the server sends after its first flight: its ChangeCipherSpec + Finished.
  int serverFlights = 0;
  std::size_t firstFlight = 0;
  p.pump([&](bool fromClient, int n, const Bytes&) {
    if (fromClient) return false;
    if (n == 0) ++serverFlights;
    if (serverFlights == 1 && firstFlight == 0) firstFlight = p.serverEvents.everySent.size();
    return static_cast<std::size_t>(n) >= firstFlight;
  });
  EXPECT_EQ(p.server->state(), DtlsState::Connected);  // it has all it needs
  EXPECT_EQ(p.client->state(), DtlsState::Connecting);
  std::this_thread::sleep_for(110ms);
  p.now += 110ms;
  // Still within the quiet period: the server keeps what it needs to answer.
  p.server->onTimeout(p.now);
  EXPECT_TRUE(p.server->holdsSsl());
  p.client->onTimeout(p.now);
  EXPECT_FALSE(p.clientEvents.sent.empty());  // the client's whole last flight again
  p.pump();
  // The connected server answers the repeated flight with its Finished again.
  EXPECT_EQ(p.client->state(), DtlsState::Connected);
  expectMirroredKeys(p, SrtpProfile::AeadAes128Gcm);
  EXPECT_EQ(p.serverEvents.connected, 1);
}

TEST(DtlsEndpointTest, QuietPeerGetsOpenSslStateFreed) {
  auto s = config(DtlsRole::Server);
  s.releaseWhenQuiet = 500ms;
  Pair p(config(DtlsRole::Client), s);
  p.handshake();
  ASSERT_EQ(p.server->state(), DtlsState::Connected);
  const auto due = p.server->nextTimeout(p.now);
  ASSERT_EQ(due, p.now + 500ms);
  p.server->onTimeout(*due - 1ms);
  EXPECT_TRUE(p.server->holdsSsl());
  // A datagram from the peer restarts the wait (here a warning alert from the client's
  // OpenSSL would do; application data is what the API sends).
  ASSERT_TRUE(p.client->send(Bytes{1}).ok());
  p.now += 400ms;
  p.pump();
  EXPECT_EQ(p.server->nextTimeout(p.now), p.now + 500ms);
  p.server->onTimeout(p.now + 500ms);
  EXPECT_FALSE(p.server->holdsSsl());
  EXPECT_EQ(p.server->state(), DtlsState::Connected);
  EXPECT_FALSE(p.server->nextTimeout(p.now).has_value());
  EXPECT_FALSE(p.server->peerFinished());  // already freed
  EXPECT_EQ(p.server->send(Bytes{1}).error().code, base::ErrorCode::InvalidState);
}

// Once freed, the server reads the close_notify of a peer that still has OpenSSL's state, and
// the peer reads ours; every other record is refused and changes nothing.
TEST(DtlsEndpointTest, AfterPeerFinishedOnlyAlertsAreRead) {
  for (const bool serverCloses : {false, true}) {
    Pair p;
    p.handshake();
    const Bytes clientFlight = p.clientEvents.everySent.back();  // ... ChangeCipherSpec, Finished
    ASSERT_TRUE(p.server->peerFinished());
    EXPECT_FALSE(p.server->holdsSsl());
    EXPECT_FALSE(p.server->peerFinished());
    EXPECT_EQ(p.server->srtpKeys()->local.key, p.serverEvents.keys->local.key);

    // The client's last flight again (its Finished was lost, say): nothing answers it now.
    EXPECT_EQ(p.server->feed(clientFlight, p.now).error().code, base::ErrorCode::Unauthorized);
    EXPECT_TRUE(p.serverEvents.sent.empty());
    // Application data is not read either.
    ASSERT_TRUE(p.client->send(Bytes{1, 2}).ok());
    const Bytes data = p.clientEvents.sent.back();
    p.clientEvents.sent.clear();
    EXPECT_FALSE(p.server->feed(data, p.now).ok());
    EXPECT_TRUE(p.serverEvents.data.empty());
    EXPECT_EQ(p.server->counters().datagramsRejected, 2u);

    if (serverCloses) {
      p.server->close();  // sealed by DtlsAlertCipher, read by the client's OpenSSL
      EXPECT_EQ(p.server->state(), DtlsState::Closed);
      ASSERT_EQ(p.serverEvents.sent.size(), 1u);
      p.pump();
      EXPECT_EQ(p.client->state(), DtlsState::Closed);
      EXPECT_EQ(p.clientEvents.closed, 1);
      EXPECT_FALSE(p.clientEvents.failure.has_value());
      continue;
    }
    p.client->close();
    ASSERT_EQ(p.clientEvents.sent.size(), 1u);
    Bytes tampered = p.clientEvents.sent.front();
    tampered.back() ^= 1;
    EXPECT_EQ(p.server->feed(tampered, p.now).error().code, base::ErrorCode::Unauthorized);
    EXPECT_EQ(p.server->state(), DtlsState::Connected);
    p.pump();
    EXPECT_EQ(p.server->state(), DtlsState::Closed);
    EXPECT_EQ(p.serverEvents.closed, 1);
    EXPECT_FALSE(p.serverEvents.failure.has_value());
    // Answered with our own close_notify (RFC 5246 §7.2.1), an alert of epoch 1.
    ASSERT_FALSE(p.serverEvents.everySent.empty());
    const auto answer = DtlsRecord::parse(p.serverEvents.everySent.back()).value();
    EXPECT_EQ(answer.contentType(), dtls::kAlert);
    EXPECT_EQ(answer.epoch(), 1);
    EXPECT_EQ(answer.size(), DtlsAlertCipher::kRecordSize);
  }
}

// Both ends free OpenSSL's state; what one seals the other opens.
TEST(DtlsEndpointTest, BothFreedStillClose) {
  Pair p;
  p.handshake();
  ASSERT_TRUE(p.client->peerFinished());
  ASSERT_TRUE(p.server->peerFinished());
  p.client->close();
  p.pump();
  EXPECT_EQ(p.server->state(), DtlsState::Closed);
  EXPECT_EQ(p.serverEvents.closed, 1);
  // The server's answering close_notify reaches a closed client, which refuses it.
  EXPECT_EQ(p.client->counters().datagramsRejected, 1u);
}

TEST(DtlsEndpointTest, HandshakeDeadlineFailsWithTimeout) {
  auto c = config(DtlsRole::Client);
  c.handshakeTimeout = 500ms;
  Pair p(c);
  ASSERT_TRUE(p.client->start(p.now).ok());
  p.clientEvents.sent.clear();  // the server never hears anything
  auto due = p.client->nextTimeout(p.now);
  ASSERT_TRUE(due.has_value());
  EXPECT_LE(*due, p.now + 500ms);
  p.client->onTimeout(p.now + 500ms);
  EXPECT_EQ(p.client->state(), DtlsState::Failed);
  ASSERT_TRUE(p.clientEvents.failure.has_value());
  EXPECT_EQ(p.clientEvents.failure->code, base::ErrorCode::Timeout);
  EXPECT_FALSE(p.client->nextTimeout(p.now).has_value());
}

TEST(DtlsEndpointTest, ExportedKeysDriveSrtpBothWays) {
  for (SrtpProfile profile : {SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80}) {
    auto c = config(DtlsRole::Client);
    c.srtpProfiles = {profile};
    Pair p(c);
    p.handshake();
    ASSERT_TRUE(p.clientEvents.keys && p.serverEvents.keys);
    const DtlsSrtpKeys& ck = *p.clientEvents.keys;
    const DtlsSrtpKeys& sk = *p.serverEvents.keys;
    auto clientOut =
        SrtpSession::create(profile, ck.local.key, ck.local.salt, SrtpDirection::Outbound).value();
    auto clientIn =
        SrtpSession::create(profile, ck.remote.key, ck.remote.salt, SrtpDirection::Inbound).value();
    auto serverOut =
        SrtpSession::create(profile, sk.local.key, sk.local.salt, SrtpDirection::Outbound).value();
    auto serverIn =
        SrtpSession::create(profile, sk.remote.key, sk.remote.salt, SrtpDirection::Inbound).value();

    for (auto [out, in] : {std::pair{&serverOut, &clientIn}, std::pair{&clientOut, &serverIn}}) {
      const Bytes rtp = {0x80, 0x60, 0x00, 0x01, 0,   0,   0x03, 0xe8, 0x11,
                         0x22, 0x33, 0x44, 'v',  'i', 'd', 'e',  'o'};
      Bytes packet = rtp;
      ASSERT_TRUE(out->protectRtp(packet));
      EXPECT_EQ(classifyPacket(packet), PacketKind::Rtp);
      EXPECT_NE(Bytes(packet.begin() + 12, packet.begin() + 17), Bytes(rtp.begin() + 12, rtp.end()));
      Bytes tampered = packet;
      tampered[13] ^= 0x01;
      EXPECT_FALSE(in->unprotectRtp(tampered));
      Bytes replay = packet;
      ASSERT_TRUE(in->unprotectRtp(packet));
      EXPECT_EQ(packet, rtp);
      EXPECT_FALSE(in->unprotectRtp(replay));

      // An RTCP receiver report (RFC 3550 §6.4.2) without report blocks.
      const Bytes rtcp = {0x80, 201, 0x00, 0x01, 0x55, 0x66, 0x77, 0x88};
      Bytes control = rtcp;
      ASSERT_TRUE(out->protectRtcp(control));
      EXPECT_EQ(classifyPacket(control), PacketKind::Rtcp);
      ASSERT_TRUE(in->unprotectRtcp(control));
      EXPECT_EQ(control, rtcp);
      EXPECT_EQ(in->counters().authFailures, 1u);
      EXPECT_EQ(in->counters().replayRejected, 1u);
    }
  }
}

TEST(DtlsEndpointTest, CloseNotifyReachesThePeer) {
  Pair p;
  p.handshake();
  p.client->close();
  EXPECT_EQ(p.client->state(), DtlsState::Closed);
  ASSERT_EQ(p.clientEvents.sent.size(), 1u);
  p.pump();
  EXPECT_EQ(p.server->state(), DtlsState::Closed);
  EXPECT_EQ(p.serverEvents.closed, 1);
  EXPECT_EQ(p.clientEvents.closed, 0);  // a local close is no event
  EXPECT_FALSE(p.serverEvents.failure.has_value());
  EXPECT_EQ(p.server->feed(p.clientEvents.everySent.back(), p.now).error().code,
            base::ErrorCode::InvalidState);
  EXPECT_FALSE(p.client->send(Bytes{1}).ok());
}

TEST(DtlsEndpointTest, ApplicationDataBothWays) {
  Pair p;
  p.handshake();
  ASSERT_TRUE(p.client->send(Bytes{1, 2, 3}).ok());
  ASSERT_TRUE(p.server->send(Bytes{4, 5}).ok());
  p.pump();
  ASSERT_EQ(p.serverEvents.data.size(), 1u);
  EXPECT_EQ(p.serverEvents.data[0], (Bytes{1, 2, 3}));
  ASSERT_EQ(p.clientEvents.data.size(), 1u);
  EXPECT_EQ(p.clientEvents.data[0], (Bytes{4, 5}));
  EXPECT_EQ(p.client->send(Bytes(DtlsEndpoint::kDefaultMtu, 0)).error().code, base::ErrorCode::TooLarge);
}

// The use_srtp extension (RFC 5764 §4.1.1, type 14) of a ServerHello handshake message body.
std::optional<std::uint16_t> selectedSrtpProfile(std::span<const std::uint8_t> body, std::uint16_t& version,
                                                 std::uint16_t& suite) {
  if (body.size() < 2 + 32 + 1) return std::nullopt;
  version = static_cast<std::uint16_t>(body[0] << 8 | body[1]);
  std::size_t at = 2 + 32;
  at += 1 + body[at];  // session_id
  if (at + 5 > body.size()) return std::nullopt;
  suite = static_cast<std::uint16_t>(body[at] << 8 | body[at + 1]);
  at += 3;  // cipher_suite, compression_method
  const std::size_t end = at + 2 + (body[at] << 8 | body[at + 1]);
  for (at += 2; at + 4 <= end && end <= body.size();) {
    const int type = body[at] << 8 | body[at + 1];
    const std::size_t length = static_cast<std::size_t>(body[at + 2] << 8 | body[at + 3]);
    if (type == 14 && length >= 4) return static_cast<std::uint16_t>(body[at + 6] << 8 | body[at + 7]);
    at += 4 + length;
  }
  return std::nullopt;
}

TEST(DtlsEndpointTest, AnswersChromiumsFragmentedClientHello) {
  // Chromium 156's real ClientHello: 1413 bytes in two datagrams, offering DTLS 1.3 and 1.2,
  // an ML-KEM key share and SRTP profiles 1 (AES128_CM_SHA1_80), 8 and 7 (AEAD AES-256/128-GCM).
  const Bytes first = test::readTestData("webrtc/dtls/chromium156_clienthello_1.bin");
  const Bytes second = test::readTestData("webrtc/dtls/chromium156_clienthello_2.bin");
  ASSERT_FALSE(first.empty() || second.empty());
  Recorder events;
  auto server = DtlsEndpoint::create(serverCertificate(), config(DtlsRole::Server), events).value();
  const base::SteadyTime now(1000s);
  ASSERT_TRUE(server->feed(first, now).ok());
  EXPECT_TRUE(events.sent.empty());  // waits for the rest of the message
  EXPECT_EQ(server->state(), DtlsState::Connecting);
  ASSERT_TRUE(server->feed(second, now).ok());
  ASSERT_EQ(events.sent.size(), 1u);
  EXPECT_FALSE(events.failure.has_value());
  auto records = DtlsRecord::parseDatagram(events.sent.front());
  ASSERT_TRUE(records.ok());
  auto hello = records->front().handshakeHeader();
  ASSERT_TRUE(hello.has_value());
  ASSERT_EQ(hello->msgType, 2);  // ServerHello
  std::uint16_t version = 0;
  std::uint16_t suite = 0;
  auto profile =
      selectedSrtpProfile(records->front().fragment().subspan(DtlsHandshakeHeader::kSize), version, suite);
  EXPECT_EQ(version, dtls::kVersion12);
  EXPECT_EQ(suite, 0xc02b);  // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(*profile, 0x0007);  // SRTP_AEAD_AES_128_GCM, our first choice among Chromium's
  // A repeated ClientHello (Chromium retransmits when our flight is late) breaks nothing.
  events.sent.clear();
  ASSERT_TRUE(server->feed(first, now).ok());
  ASSERT_TRUE(server->feed(second, now).ok());
  EXPECT_EQ(server->state(), DtlsState::Connecting);
  EXPECT_FALSE(events.failure.has_value());
}

TEST(DtlsEndpointTest, RefusesWhatIsNotDtls) {
  Pair p;
  const base::SteadyTime now = p.now;
  EXPECT_FALSE(p.server->feed(Bytes{}, now).ok());
  EXPECT_FALSE(p.server->feed(Bytes{22, 0xfe, 0xfd, 0, 0}, now).ok());    // truncated header
  EXPECT_FALSE(p.server->feed(Bytes{0x00, 0x01, 0x00, 0x00}, now).ok());  // STUN
  EXPECT_FALSE(p.server->feed(Bytes(DtlsEndpoint::kMaxDatagramSize + 1, 22), now).ok());
  EXPECT_EQ(p.server->counters().datagramsRejected, 4u);
  EXPECT_EQ(p.server->counters().datagramsReceived, 0u);
  EXPECT_EQ(p.server->state(), DtlsState::New);
  // A well-formed record of a future epoch (encrypted, out of place): OpenSSL drops it, and
  // the handshake is still possible.
  Bytes stray(13 + 32, 0x5a);
  writeDtlsRecordHeader(std::span<std::uint8_t, 13>(stray.data(), 13), dtls::kApplicationData,
                        dtls::kVersion12, 3, 9, 32);
  EXPECT_TRUE(p.server->feed(stray, now).ok());
  EXPECT_EQ(p.server->counters().datagramsReceived, 1u);
  EXPECT_EQ(p.client->feed(stray, now).error().code, base::ErrorCode::InvalidState);  // before start()
  p.handshake();
  EXPECT_EQ(p.server->state(), DtlsState::Connected);
}

TEST(DtlsEndpointTest, CloseNotifyDuringHandshakeFails) {
  Pair p;
  Bytes alert(15);
  writeDtlsRecordHeader(std::span<std::uint8_t, 13>(alert.data(), 13), dtls::kAlert, dtls::kVersion12, 0, 0,
                        2);
  alert[13] = 1;  // warning
  alert[14] = 0;  // close_notify
  ASSERT_TRUE(p.client->start(p.now).ok());
  EXPECT_TRUE(p.client->feed(alert, p.now).ok());
  EXPECT_EQ(p.client->state(), DtlsState::Failed);
  ASSERT_TRUE(p.clientEvents.failure.has_value());
  EXPECT_EQ(p.clientEvents.failure->code, base::ErrorCode::Closed);
}

TEST(DtlsEndpointTest, ReentrantCallsAreRefused) {
  Pair p;
  int refused = 0;
  p.clientEvents.duringCallback = [&](DtlsEndpoint& endpoint) {
    if (!endpoint.feed(Bytes{22}, p.now).ok()) ++refused;
    if (!endpoint.start(p.now).ok()) ++refused;
    endpoint.close();  // ignored
  };
  ASSERT_TRUE(p.client->start(p.now).ok());
  EXPECT_EQ(refused, 2);
  p.clientEvents.duringCallback = {};
  p.pump();
  EXPECT_EQ(p.client->state(), DtlsState::Connected);
}

TEST(DtlsEndpointTest, BadConfigIsRefused) {
  Recorder events;
  auto c = config(DtlsRole::Server);
  c.srtpProfiles.clear();
  EXPECT_EQ(DtlsEndpoint::create(serverCertificate(), c, events).error().code,
            base::ErrorCode::InvalidArgument);
  c = config(DtlsRole::Server);
  c.mtu = 100;
  EXPECT_EQ(DtlsEndpoint::create(serverCertificate(), c, events).error().code,
            base::ErrorCode::InvalidArgument);
}

// --- Interop with a foreign DTLS stack: the openssl command-line tool over real UDP. ---

struct Child {
  pid_t pid = -1;
  int stdinFd = -1;
  ~Child() {
    if (stdinFd >= 0) ::close(stdinFd);
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  }
  // Waits up to `limit` for the child to exit by itself.
  bool waitExit(std::chrono::milliseconds limit) {
    for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        pid = -1;
        return true;
      }
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
};

// Starts argv with stdin from a pipe we hold and stdout+stderr into outputPath.
bool spawn(Child& child, const std::vector<std::string>& args, const std::string& outputPath) {
  int pipeFds[2];
  if (::pipe(pipeFds) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[0], 0);
  posix_spawn_file_actions_addclose(&actions, pipeFds[1]);
  posix_spawn_file_actions_addopen(&actions, 1, outputPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int rc = posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[0]);
  child.stdinFd = pipeFds[1];
  return rc == 0;
}

struct UdpSocket {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ~UdpSocket() { ::close(fd); }
  std::uint16_t bind() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return 0;
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
  }
};

// Hex of the keying material line that s_client/s_server print after the handshake.
std::string keyingMaterial(const std::string& output) {
  const std::string marker = "Keying material: ";
  auto at = output.find(marker);
  if (at == std::string::npos) return {};
  auto end = output.find_first_of("\r\n", at);
  return output.substr(at + marker.size(), end - at - marker.size());
}

std::string toHex(const DtlsSrtpKeys& keys, DtlsRole role) {
  const SrtpMasterKey& client = role == DtlsRole::Client ? keys.local : keys.remote;
  const SrtpMasterKey& server = role == DtlsRole::Client ? keys.remote : keys.local;
  std::string hex;
  for (const Bytes* part : {&client.key, &server.key, &client.salt, &server.salt}) {
    for (std::uint8_t b : *part) {
      char two[3];
      std::snprintf(two, sizeof two, "%02X", b);
      hex += two;
    }
  }
  return hex;
}

class OpenSslInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kOpenSsl)) GTEST_SKIP() << "no " << kOpenSsl;
    std::string pattern = "/tmp/ocellus-dtls-interop-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
    peerPem_ = folder_ + "/peer.pem";
    std::ofstream(peerPem_) << strangerCertificate().toPem();
  }
  void TearDown() override {
    std::error_code ignored;
    if (!folder_.empty()) std::filesystem::remove_all(folder_, ignored);
  }
  std::string readOutput() const {
    std::ifstream in(folder_ + "/out.txt");
    return {std::istreambuf_iterator<char>(in), {}};
  }

  static constexpr const char* kOpenSsl = "/usr/bin/openssl";
  std::string folder_;
  std::string peerPem_;
};

// Moves datagrams between endpoint and the socket's peer until done() or the deadline.
void runUdp(DtlsEndpoint& endpoint, Recorder& events, UdpSocket& socket, sockaddr_in& peer, bool& havePeer,
            const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) {
    while (havePeer && !events.sent.empty()) {
      const Bytes& d = events.sent.front();
      ::sendto(socket.fd, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&peer), sizeof peer);
      events.sent.pop_front();
    }
    pollfd p{socket.fd, POLLIN, 0};
    if (::poll(&p, 1, 20) == 1) {
      std::uint8_t buffer[2048];
      socklen_t length = sizeof peer;
      const ssize_t n =
          ::recvfrom(socket.fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&peer), &length);
      if (n > 0) {
        havePeer = true;
        (void)endpoint.feed({buffer, static_cast<std::size_t>(n)}, std::chrono::steady_clock::now());
      }
    }
    endpoint.onTimeout(std::chrono::steady_clock::now());
  }
}

TEST_F(OpenSslInterop, ServerRoleAgainstOpenSslClient) {
  Recorder events;
  auto server = DtlsEndpoint::create(serverCertificate(), config(DtlsRole::Server), events).value();
  ASSERT_TRUE(server->expectFingerprint("sha-256", strangerCertificate().fingerprintHex()).ok());
  UdpSocket socket;
  const std::uint16_t port = socket.bind();
  ASSERT_NE(port, 0);
  Child child;
  ASSERT_TRUE(spawn(child,
                    {kOpenSsl, "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + std::to_string(port),
                     "-cert", peerPem_, "-key", peerPem_, "-use_srtp", "SRTP_AES128_CM_SHA1_80",
                     "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60", "-mtu", "1200"},
                    folder_ + "/out.txt"));
  sockaddr_in peer{};
  bool havePeer = false;
  runUdp(
      *server, events, socket, peer, havePeer, [&] { return events.connected > 0 || events.failure; }, 20s);
  ASSERT_EQ(server->state(), DtlsState::Connected)
      << (events.failure ? events.failure->message : "") << readOutput();
  ASSERT_TRUE(events.keys.has_value());
  EXPECT_EQ(events.keys->profile, SrtpProfile::Aes128CmSha1_80);

  // As when the peer's SRTP authenticates: from now on DtlsAlertCipher reads what OpenSSL's
  // s_client sends. End of input makes it close the connection with close_notify.
  ASSERT_TRUE(server->peerFinished());
  ::close(child.stdinFd);
  child.stdinFd = -1;
  runUdp(
      *server, events, socket, peer, havePeer, [&] { return events.closed > 0; }, 20s);
  EXPECT_EQ(events.closed, 1);
  EXPECT_TRUE(child.waitExit(10s));
  const std::string output = readOutput();
  EXPECT_NE(output.find("SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80"), std::string::npos)
      << output;
  // Both stacks derived the same RFC 5764 §4.2 keying material.
  EXPECT_EQ(keyingMaterial(output), toHex(*events.keys, DtlsRole::Server)) << output;
}

TEST_F(OpenSslInterop, ClientRoleAgainstOpenSslServer) {
  Recorder events;
  // Pick a free port for s_server: bind, read it, release it.
  std::uint16_t port = 0;
  {
    UdpSocket probe;
    port = probe.bind();
  }
  ASSERT_NE(port, 0);
  Child child;
  ASSERT_TRUE(
      spawn(child,
            {kOpenSsl, "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
             peerPem_, "-key", peerPem_, "-use_srtp", "SRTP_AEAD_AES_128_GCM", "-keymatexport",
             "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56", "-verify", "1", "-mtu", "1200", "-naccept",
             "1"},
            folder_ + "/out.txt"));
  // s_server needs a moment to bind; until then our ClientHello is lost and retransmitted.
  auto c = config(DtlsRole::Client);
  c.initialRetransmit = 100ms;
  auto client = DtlsEndpoint::create(clientCertificate(), c, events).value();
  ASSERT_TRUE(client->expectFingerprint("sha-256", strangerCertificate().fingerprintHex()).ok());
  UdpSocket socket;
  ASSERT_NE(socket.bind(), 0);
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  peer.sin_port = htons(port);
  peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool havePeer = true;
  ASSERT_TRUE(client->start(std::chrono::steady_clock::now()).ok());
  runUdp(
      *client, events, socket, peer, havePeer, [&] { return events.connected > 0 || events.failure; }, 20s);
  ASSERT_EQ(client->state(), DtlsState::Connected)
      << (events.failure ? events.failure->message : "") << readOutput();
  EXPECT_EQ(events.keys->profile, SrtpProfile::AeadAes128Gcm);
  // s_server prints its keying material once the handshake is done; give it a moment.
  std::string output;
  for (int i = 0; i < 200 && keyingMaterial(output).empty(); ++i) {
    std::this_thread::sleep_for(20ms);
    output = readOutput();
  }
  EXPECT_NE(output.find("SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM"), std::string::npos)
      << output;
  EXPECT_EQ(keyingMaterial(output), toHex(*events.keys, DtlsRole::Client)) << output;
  // Our close_notify sealed by DtlsAlertCipher once OpenSSL's state is freed: s_server reads it
  // as the end of the connection (it prints DONE on SSL_ERROR_ZERO_RETURN) and exits.
  ASSERT_TRUE(client->peerFinished());
  client->close();
  runUdp(
      *client, events, socket, peer, havePeer, [&] { return events.sent.empty(); }, 2s);
  EXPECT_TRUE(child.waitExit(10s));
  output = readOutput();
  EXPECT_NE(output.find("DONE"), std::string::npos) << output;
}

}  // namespace
}  // namespace ocellus::proto::webrtc
