#pragma once

#include <openssl/bio.h>
#include <openssl/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Clock.h"
#include "base/Result.h"
#include "proto/webrtc/DtlsAlertCipher.h"
#include "proto/webrtc/DtlsCertificate.h"
#include "proto/webrtc/SrtpSession.h"

namespace ocellus::proto::webrtc {

// Who starts the handshake: the SDP a=setup attribute decides (RFC 5763 §5, RFC 8842 §5).
// "active" is the DTLS client, "passive" the server. The media server answers WHEP and WHIP
// offers (which say actpass) with setup:passive, so it is the server; a load client is the client.
enum class DtlsRole : std::uint8_t { Client, Server };

enum class DtlsState : std::uint8_t {
  New,         // created; the client has not started, the server has received nothing
  Connecting,  // handshake in progress
  Connected,   // handshake done, SRTP keys exported
  Closed,      // close_notify received, or close() called
  Failed,      // handshake or connection failed; see the onDtlsFailed error
};

std::string_view dtlsStateName(DtlsState state);

// One direction's SRTP master key and master salt.
struct SrtpMasterKey {
  std::vector<std::uint8_t> key;
  std::vector<std::uint8_t> salt;
};

// The DTLS-SRTP keys of a connection (RFC 5764 §4.2): the exporter with the label
// "EXTRACTOR-dtls_srtp" yields client key | server key | client salt | server salt, and each
// side protects what it sends with its own write key.
struct DtlsSrtpKeys {
  SrtpProfile profile = SrtpProfile::AeadAes128Gcm;
  SrtpMasterKey local;   // protects what this endpoint sends (client_write_* when we are the client)
  SrtpMasterKey remote;  // unprotects what the peer sends
};

// A DTLS 1.2 endpoint (RFC 6347) for DTLS-SRTP (RFC 5764), sans-I/O: datagrams in through
// feed(), datagrams out through Listener::onDtlsSend; no socket, no thread, no clock of its own
// (see nextTimeout for the one clock OpenSSL reads). OpenSSL runs over an in-memory read BIO
// and a write BIO that collects what OpenSSL writes into datagrams of at most Config::mtu bytes.
//
// The peer's certificate is not checked against any CA: it is accepted self-signed but must
// match a fingerprint from the remote SDP (expectFingerprint), or the handshake fails with a
// bad_certificate alert. SRTP profiles are offered or chosen through the use_srtp extension,
// AEAD_AES_128_GCM first (RFC 7714), then AES128_CM_SHA1_80; a handshake that negotiates none
// fails, because this endpoint exists to key SRTP.
//
// Once connected, OpenSSL's state (the `SSL`, its handshake buffer, the peer's certificate and
// session: ~30 KB) is kept only while the peer may still send its last flight again because
// ours was lost (RFC 6347 §4.2.4: we must answer it): until the peer proves it finished
// (peerFinished) or has been quiet for Config::releaseWhenQuiet. Then it is freed, and what
// remains is a DtlsAlertCipher (derived when the handshake completes) that reads the peer's
// alerts and writes our close_notify; any other record is refused from then on (no
// renegotiation, no application data).
//
// Single-threaded: all calls on one loop. Owned by its session through the unique_ptr that
// create() returns; it is not movable (OpenSSL holds pointers to it).
class DtlsEndpoint {
 public:
  static constexpr std::size_t kDefaultMtu = 1200;  // what WebRTC stacks use for every datagram
  static constexpr std::size_t kMinMtu = 256;
  // A datagram larger than this is refused before OpenSSL sees it (real ones are below 1500).
  static constexpr std::size_t kMaxDatagramSize = 16384;
  // The longest fingerprint list one endpoint accepts (a=fingerprint lines of one SDP).
  static constexpr std::size_t kMaxFingerprints = 8;

  struct Config {
    DtlsRole role = DtlsRole::Server;
    // Offered (client) or accepted (server) in preference order; the server's order wins.
    std::vector<SrtpProfile> srtpProfiles{SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80};
    std::size_t mtu = kDefaultMtu;  // largest datagram we send, UDP/IP headers not counted
    // Retransmission timer (RFC 6347 §4.2.4.1): the first wait, doubled after each timeout up
    // to the maximum. Values under 20 ms are raised to 20 ms: OpenSSL treats a timer with less
    // than 15 ms left as expired.
    std::chrono::milliseconds initialRetransmit{1000};
    std::chrono::milliseconds maxRetransmit{60000};
    // The handshake fails with Timeout when not connected this long after start (client) or
    // after the first datagram (server).
    std::chrono::milliseconds handshakeTimeout{30000};
    // Once connected, OpenSSL's state is freed after this long without a DTLS datagram from the
    // peer, unless peerFinished() freed it sooner. A peer that lost our last flight sends its
    // own again when its retransmission timer fires, 1 s then 2 s later with RFC 6347
    // §4.2.4.1's initial timer (OpenSSL's, aiortc's): each datagram restarts this wait, so 3 s
    // answers two lost copies of our last flight in a row. RFC 6347 asks to answer for twice
    // TCP's MSL (4 minutes), which would keep every viewer's ~30 KB for that long; but only a
    // peer that sends neither SRTP nor SRTCP (a load client, no browser) waits on this timer.
    std::chrono::milliseconds releaseWhenQuiet{3000};
  };

  // Receives what the endpoint produces. Contract (STYLE §8): every callback is made
  // synchronously from inside feed(), start(), onTimeout(), send() or close(), after OpenSSL
  // has returned, in order: first every datagram to send, then the state events in the order
  // they happened. During a callback the callee may read the endpoint (state(), srtpKeys(),
  // counters()) and may drive other endpoints, but must not destroy this endpoint (defer it,
  // e.g. post to the loop) and must not call its feed/start/onTimeout/send/close: those
  // return InvalidState (or do nothing) while callbacks run. Spans are valid only during the call.
  class Listener {
   public:
    virtual ~Listener() = default;
    // One datagram for the peer, at most Config::mtu bytes (several DTLS records may share it).
    virtual void onDtlsSend(DtlsEndpoint& endpoint, std::span<const std::uint8_t> datagram) = 0;
    // The handshake finished: the peer's certificate matched and SRTP keys are exported.
    virtual void onDtlsConnected(DtlsEndpoint& endpoint, const DtlsSrtpKeys& keys) = 0;
    // The handshake or connection failed; error.message carries OpenSSL's reason.
    virtual void onDtlsFailed(DtlsEndpoint& endpoint, const base::Error& error) = 0;
    // The peer sent close_notify (RFC 5246 §7.2.1); we answered with ours.
    virtual void onDtlsClosed(DtlsEndpoint& endpoint) = 0;
    // Application data (what SCTP data channels would carry). Ignored unless overridden.
    virtual void onDtlsData(DtlsEndpoint& endpoint, std::span<const std::uint8_t> data);
  };

  struct Counters {
    std::uint64_t datagramsReceived = 0;  // handed to OpenSSL
    // Refused by feed(): malformed, too large, wrong state, or (once OpenSSL's state is freed)
    // holding no alert that authenticates.
    std::uint64_t datagramsRejected = 0;
    std::uint64_t datagramsSent = 0;
    std::uint64_t retransmissions = 0;  // flights sent again after a timeout
  };

  // The endpoint keeps its own references to the certificate's key and X.509 objects.
  // listener must outlive the endpoint. InvalidArgument for a bad config.
  static base::Result<std::unique_ptr<DtlsEndpoint>> create(const DtlsCertificate& certificate,
                                                            const Config& config, Listener& listener);
  ~DtlsEndpoint();
  DtlsEndpoint(const DtlsEndpoint&) = delete;
  DtlsEndpoint& operator=(const DtlsEndpoint&) = delete;

  // Adds a fingerprint from the remote SDP ("sha-256", "AB:CD:…"; RFC 8122 §5). Call before
  // the handshake reaches the peer's certificate. With several, the strongest hash function
  // given is used and the certificate must match one fingerprint of it. Unsupported for an
  // unknown hash name, Malformed for a value that is not that hash's length in hex pairs.
  base::Status expectFingerprint(std::string_view algorithm, std::string_view fingerprint);

  // Client: sends the first flight (ClientHello). Server: nothing to do (it waits for one).
  base::Status start(base::SteadyTime now);
  // One datagram from the peer (PacketKind::Dtls). Refused (error returned, counted, OpenSSL
  // never sees it) when larger than kMaxDatagramSize, when its records do not parse as DTLS
  // (DtlsRecord::parseDatagram), before a client's start(), or after Closed/Failed. Handshake
  // progress and failures are reported through the listener, not through the return value.
  // Once OpenSSL's state is freed, only alerts are read (see DtlsAlertCipher): close_notify
  // closes (answered with ours), a fatal alert fails, anything else is refused.
  base::Status feed(std::span<const std::uint8_t> datagram, base::SteadyTime now);

  // When the caller should call onTimeout next, or nullopt when no timer runs (not handshaking
  // and OpenSSL's state already freed). Once connected, the end of Config::releaseWhenQuiet.
  // OpenSSL 3.0 keeps the retransmission timer on its own clock (gettimeofday,
  // read when it arms the timer and when it checks it); no API lets us inject time. So this
  // returns now plus the time OpenSSL says is left (DTLSv1_get_timeout), bounded by the
  // handshake deadline, and onTimeout only retransmits once OpenSSL's clock agrees
  // (DTLSv1_handle_timeout). OpenSSL also retransmits by itself when feed() finds the timer
  // already expired.
  std::optional<base::SteadyTime> nextTimeout(base::SteadyTime now) const;
  // Retransmits the last flight when its timer has expired; fails the handshake at its deadline.
  // Once connected, frees OpenSSL's state when the peer has been quiet for releaseWhenQuiet.
  void onTimeout(base::SteadyTime now);
  // The peer has proved it finished the handshake (an SRTP or SRTCP packet authenticated with
  // the exported keys: a peer keys SRTP only once it has our last flight), so it will not send
  // its last flight again: frees OpenSSL's state now. True when this call freed it; cheap
  // enough to call for every authenticated packet. Not from a listener callback.
  bool peerFinished();

  // Sends application data when Connected and OpenSSL's state is still there (InvalidState
  // once freed); TooLarge above what one record of the MTU holds.
  base::Status send(std::span<const std::uint8_t> data);
  // Sends close_notify when connected and moves to Closed. No onDtlsClosed for a local close.
  void close();

  DtlsRole role() const { return config_.role; }
  DtlsState state() const { return state_; }
  // The exported keys once Connected; nullptr before.
  const DtlsSrtpKeys* srtpKeys() const { return keys_ ? &*keys_ : nullptr; }
  const Counters& counters() const { return counters_; }
  // False once connected and OpenSSL's state has been freed (peerFinished, releaseWhenQuiet).
  bool holdsSsl() const { return ssl_ != nullptr; }

 private:
  struct SslCtxFree {
    void operator()(SSL_CTX* ctx) const;
  };
  struct SslFree {
    void operator()(SSL* ssl) const;
  };
  struct Fingerprint {
    std::string algorithm;  // lower-case RFC 8122 name
    std::string hex;        // upper-case pairs joined by ':'
    int strength = 0;       // digest length: the larger, the stronger
  };
  struct Event {
    enum class Kind : std::uint8_t { Connected, Data, Closed, Failed } kind;
    std::vector<std::uint8_t> data;
    base::Error error;
  };

  DtlsEndpoint(const Config& config, Listener& listener);
  base::Status init(const DtlsCertificate& certificate);
  void advance();
  void handleSslResult(int result);
  void completeHandshake();
  void readApplicationData();
  void fail(base::ErrorCode code, const std::string& what);
  std::string takeSslErrors(const std::string& what);
  bool peerMatches(X509* cert, std::string& why) const;
  void finishDatagram();
  void releaseBuffers();
  void releaseSsl();
  bool readAlerts(const std::vector<DtlsRecord>& records);  // true when one authenticated
  void sendCloseNotify();
  void deliver();

  static BIO_METHOD* datagramSink();
  static int sinkCreate(BIO* bio);
  static int sinkDestroy(BIO* bio);
  static int sinkWrite(BIO* bio, const char* data, int length);
  static long sinkCtrl(BIO* bio, int command, long argument, void* pointer);
  static int verifyPeer(int preverifyOk, X509_STORE_CTX* store);
  static unsigned int nextRetransmit(SSL* ssl, unsigned int previousMicros);

  Config config_;
  Listener& listener_;
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx_;  // a reference to the context shared per certificate
  std::unique_ptr<SSL, SslFree> ssl_;  // after ctx_: freed first
  BIO* readBio_ = nullptr;             // owned by ssl_
  DtlsState state_ = DtlsState::New;
  std::vector<Fingerprint> expected_;
  std::string verifyFailure_;
  std::optional<base::SteadyTime> handshakeDeadline_;
  std::optional<DtlsSrtpKeys> keys_;
  std::optional<DtlsAlertCipher> alerts_;           // from the handshake's completion on
  base::SteadyTime lastHeard_{};                    // the last datagram handed to OpenSSL
  std::uint64_t nextSequence_ = 0;                  // above every epoch-1 record we sent
  std::vector<std::uint8_t> written_;                // what OpenSSL wrote since the last flush
  std::vector<std::vector<std::uint8_t>> outgoing_;  // datagrams not yet given to the listener
  std::vector<Event> events_;
  Counters counters_;
  bool delivering_ = false;
};

}  // namespace ocellus::proto::webrtc
