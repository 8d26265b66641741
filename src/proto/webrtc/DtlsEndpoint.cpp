#include "proto/webrtc/DtlsEndpoint.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

#include "proto/webrtc/DtlsRecord.h"

namespace ocellus::proto::webrtc {
namespace {

// ECDHE (forward secrecy) with AES-GCM only: what DtlsAlertCipher can read once OpenSSL's state is
// freed. RFC 8827 §6.5 makes every WebRTC stack support ECDHE-ECDSA-AES128-GCM-SHA256 (browsers,
// aiortc and the load client all pick it). The server has an ECDSA certificate, so it uses the
// ECDSA suites; a client also offers the RSA ones for peers with RSA certificates.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";
constexpr const char* kGroups = "X25519:P-256:P-384";
// RFC 5764 §4.2.
constexpr std::string_view kExporterLabel = "EXTRACTOR-dtls_srtp";
constexpr std::chrono::milliseconds kMinRetransmit{20};
constexpr std::size_t kMaxReadsPerCall = DtlsRecord::kMaxRecordsPerDatagram + 1;

struct HashName {
  std::string_view name;
  std::size_t size;
};
// RFC 8122 §5 names we accept, with their digest sizes. md5 and md2 are not among them.
constexpr std::array<HashName, 5> kHashes{
    {{"sha-1", 20}, {"sha-224", 28}, {"sha-256", 32}, {"sha-384", 48}, {"sha-512", 64}}};

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}
char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
}
bool isHex(char c) {
  return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'f');
}

// "ab:CD:…" with exactly `bytes` pairs, as upper case; nullopt when it is not that.
std::optional<std::string> normalizeFingerprint(std::string_view text, std::size_t bytes) {
  if (text.size() != bytes * 3 - 1) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i % 3 == 2 ? out[i] != ':' : !isHex(out[i])) return std::nullopt;
    out[i] = upper(out[i]);
  }
  return out;
}

std::optional<DtlsAlertCipher::Suite> suiteOf(const SSL_CIPHER* cipher) {
  if (cipher == nullptr) return std::nullopt;
  switch (SSL_CIPHER_get_cipher_nid(cipher)) {
    case NID_aes_128_gcm:
      return DtlsAlertCipher::Suite::Aes128GcmSha256;
    case NID_aes_256_gcm:
      return DtlsAlertCipher::Suite::Aes256GcmSha384;
    default:
      return std::nullopt;
  }
}

std::optional<SrtpProfile> profileFromId(unsigned long id) {
  if (id == SRTP_AEAD_AES_128_GCM) return SrtpProfile::AeadAes128Gcm;
  if (id == SRTP_AES128_CM_SHA1_80) return SrtpProfile::Aes128CmSha1_80;
  return std::nullopt;
}

base::Error endpointError(base::ErrorCode code, const std::string& what) {
  return base::makeError(code, "dtls: " + what);
}

// The DTLS context of every endpoint with this certificate and these SRTP profiles. A context
// holds nothing per association (certificate and key, cipher, group and use_srtp lists; no
// session cache), yet costs ~8 KB: one per WHEP viewer added up. SSL_new on a shared context is
// thread-safe, and each endpoint takes its own reference (SSL_CTX_free it). Contexts live until
// the process exits — a server has one certificate, a test a few — and hold references to
// their certificate and key, so the pointers in the key are never reused for others. Null
// with OpenSSL's errors queued when a context cannot be made.
SSL_CTX* sharedContext(const DtlsCertificate& certificate, const std::string& profiles) {
  using Contexts = std::map<std::tuple<const X509*, const EVP_PKEY*, std::string>, SSL_CTX*>;
  static std::mutex mutex;
  // Never destroyed: its contexts outlive static destruction like any other process-life object.
  static auto& contexts = *new Contexts;
  std::lock_guard lock(mutex);
  const auto key = std::make_tuple(certificate.x509(), certificate.privateKey(), profiles);
  if (const auto it = contexts.find(key); it != contexts.end()) {
    SSL_CTX_up_ref(it->second);
    return it->second;
  }
  SSL_CTX* ctx = SSL_CTX_new(DTLS_method());
  if (ctx == nullptr) return nullptr;
  // DTLS 1.2 only: 1.0 lacks AEAD suites, and WebRTC stacks all speak 1.2 (RFC 8827 §6.5).
  // No tickets, no session cache, no renegotiation: every association is one full handshake.
  SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_use_certificate(ctx, certificate.x509()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, certificate.privateKey()) != 1 || SSL_CTX_check_private_key(ctx) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kCipherList) != 1 || SSL_CTX_set1_groups_list(ctx, kGroups) != 1 ||
      // Unlike the rest of OpenSSL, this one returns 0 on success.
      SSL_CTX_set_tlsext_use_srtp(ctx, profiles.c_str()) != 0) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  contexts.emplace(key, ctx);  // the cache's reference
  SSL_CTX_up_ref(ctx);
  return ctx;
}

}  // namespace

std::string_view dtlsStateName(DtlsState state) {
  switch (state) {
    case DtlsState::New:
      return "new";
    case DtlsState::Connecting:
      return "connecting";
    case DtlsState::Connected:
      return "connected";
    case DtlsState::Closed:
      return "closed";
    case DtlsState::Failed:
      return "failed";
  }
  return "unknown";
}

void DtlsEndpoint::Listener::onDtlsData(DtlsEndpoint&, std::span<const std::uint8_t>) {}

void DtlsEndpoint::SslCtxFree::operator()(SSL_CTX* ctx) const {
  SSL_CTX_free(ctx);
}
void DtlsEndpoint::SslFree::operator()(SSL* ssl) const {
  SSL_free(ssl);
}

DtlsEndpoint::DtlsEndpoint(const Config& config, Listener& listener) : config_(config), listener_(listener) {
  config_.initialRetransmit = std::max(config_.initialRetransmit, kMinRetransmit);
  config_.maxRetransmit = std::max(config_.maxRetransmit, config_.initialRetransmit);
}

DtlsEndpoint::~DtlsEndpoint() {
  if (keys_) {
    for (auto* bytes : {&keys_->local.key, &keys_->local.salt, &keys_->remote.key, &keys_->remote.salt}) {
      OPENSSL_cleanse(bytes->data(), bytes->size());
    }
  }
}

base::Result<std::unique_ptr<DtlsEndpoint>> DtlsEndpoint::create(const DtlsCertificate& certificate,
                                                                 const Config& config, Listener& listener) {
  if (config.srtpProfiles.empty()) return endpointError(base::ErrorCode::InvalidArgument, "no SRTP profile");
  if (config.mtu < kMinMtu || config.mtu > kMaxDatagramSize) {
    return endpointError(base::ErrorCode::InvalidArgument, "MTU outside 256..16384");
  }
  std::unique_ptr<DtlsEndpoint> endpoint(new DtlsEndpoint(config, listener));
  OCELLUS_TRY(endpoint->init(certificate));
  return endpoint;
}

base::Status DtlsEndpoint::init(const DtlsCertificate& certificate) {
  ERR_clear_error();
  std::string profiles;
  for (SrtpProfile profile : config_.srtpProfiles) {
    if (!profiles.empty()) profiles += ':';
    profiles += srtpProfileName(profile);
  }
  ctx_.reset(sharedContext(certificate, profiles));
  if (!ctx_) return endpointError(base::ErrorCode::Internal, takeSslErrors("configuring the DTLS context failed"));
  ssl_.reset(SSL_new(ctx_.get()));
  BIO* readBio = BIO_new(BIO_s_mem());
  BIO* writeBio = BIO_new(datagramSink());
  if (!ssl_ || !readBio || !writeBio) {
    BIO_free(readBio);
    BIO_free(writeBio);
    return endpointError(base::ErrorCode::Internal, takeSslErrors("creating the DTLS connection failed"));
  }
  // An empty read BIO means "wait for the next datagram", not end of file.
  BIO_set_mem_eof_return(readBio, -1);
  BIO_set_data(writeBio, this);
  SSL_set_bio(ssl_.get(), readBio, writeBio);
  readBio_ = readBio;
  SSL_set_app_data(ssl_.get(), this);
  if (config_.role == DtlsRole::Client) {
    SSL_set_connect_state(ssl_.get());
  } else {
    SSL_set_accept_state(ssl_.get());
  }
  // Peer certificates are required both ways (RFC 5763 §5) and pinned by fingerprint.
  SSL_set_verify(ssl_.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verifyPeer);
  DTLS_set_timer_cb(ssl_.get(), nextRetransmit);
  // With SSL_OP_NO_QUERY_MTU OpenSSL takes this MTU as given and fragments handshake messages
  // to fit it; our write BIO reports no per-datagram overhead, so it is the datagram size.
  if (DTLS_set_link_mtu(ssl_.get(), static_cast<long>(config_.mtu)) != 1) {
    return endpointError(base::ErrorCode::InvalidArgument, takeSslErrors("MTU refused"));
  }
  return {};
}

base::Status DtlsEndpoint::expectFingerprint(std::string_view algorithm, std::string_view fingerprint) {
  std::string name(algorithm);
  std::transform(name.begin(), name.end(), name.begin(), lower);
  const auto hash =
      std::find_if(kHashes.begin(), kHashes.end(), [&](const HashName& h) { return h.name == name; });
  if (hash == kHashes.end()) {
    return endpointError(base::ErrorCode::Unsupported, "fingerprint hash \"" + name + "\" is not supported");
  }
  auto hex = normalizeFingerprint(fingerprint, hash->size);
  if (!hex) return endpointError(base::ErrorCode::Malformed, "fingerprint is not " + name + " in hex pairs");
  if (expected_.size() == kMaxFingerprints)
    return endpointError(base::ErrorCode::TooLarge, "too many fingerprints");
  expected_.push_back({std::move(name), std::move(*hex), static_cast<int>(hash->size)});
  return {};
}

bool DtlsEndpoint::peerMatches(X509* cert, std::string& why) const {
  if (expected_.empty()) {
    why = "no fingerprint from the remote SDP to check the peer certificate against";
    return false;
  }
  // RFC 8122 §5: use the strongest hash function offered; the certificate must match one of
  // the fingerprints computed with it.
  const int strongest =
      std::max_element(expected_.begin(), expected_.end(), [](const Fingerprint& a, const Fingerprint& b) {
        return a.strength < b.strength;
      })->strength;
  std::string algorithm;
  for (const Fingerprint& f : expected_) {
    if (f.strength != strongest) continue;
    algorithm = f.algorithm;
    auto actual = DtlsCertificate::fingerprintOf(cert, f.algorithm);
    if (actual && *actual == f.hex) return true;
  }
  auto actual = DtlsCertificate::fingerprintOf(cert, algorithm);
  why = "peer certificate " + algorithm + " fingerprint " + (actual ? *actual : std::string("?")) +
        " does not match the remote SDP";
  return false;
}

int DtlsEndpoint::verifyPeer(int, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = ssl != nullptr ? static_cast<DtlsEndpoint*>(SSL_get_app_data(ssl)) : nullptr;
  if (self == nullptr) return 0;
  // Only the end-entity certificate, whose key signs the handshake, is pinned; whatever chain
  // the peer sends above it is irrelevant (and self-signed is the norm, RFC 8827 §6.5).
  if (X509_STORE_CTX_get_error_depth(store) > 0) return 1;
  std::string why;
  if (self->peerMatches(X509_STORE_CTX_get_current_cert(store), why)) {
    X509_STORE_CTX_set_error(store, X509_V_OK);
    return 1;
  }
  self->verifyFailure_ = std::move(why);
  // Makes OpenSSL send a bad_certificate alert.
  X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

unsigned int DtlsEndpoint::nextRetransmit(SSL* ssl, unsigned int previousMicros) {
  auto* self = static_cast<DtlsEndpoint*>(SSL_get_app_data(ssl));
  const auto initial =
      static_cast<unsigned int>(std::chrono::microseconds(self->config_.initialRetransmit).count());
  const auto maximum =
      static_cast<unsigned int>(std::chrono::microseconds(self->config_.maxRetransmit).count());
  // OpenSSL asks with 0 when it arms the timer for a new flight, and with the last value when
  // that timer expired and it is about to send the flight again (RFC 6347 §4.2.4.1: double).
  if (previousMicros == 0) return initial;
  ++self->counters_.retransmissions;
  return previousMicros >= maximum / 2 ? maximum : previousMicros * 2;
}

base::Status DtlsEndpoint::start(base::SteadyTime now) {
  if (delivering_) return endpointError(base::ErrorCode::InvalidState, "start() from a listener callback");
  if (state_ != DtlsState::New) return endpointError(base::ErrorCode::InvalidState, "already started");
  if (config_.role == DtlsRole::Server) return {};
  state_ = DtlsState::Connecting;
  handshakeDeadline_ = now + config_.handshakeTimeout;
  advance();
  deliver();
  return {};
}

base::Status DtlsEndpoint::feed(std::span<const std::uint8_t> datagram, base::SteadyTime now) {
  if (delivering_) return endpointError(base::ErrorCode::InvalidState, "feed() from a listener callback");
  const auto refuse = [this](base::Error error) {
    ++counters_.datagramsRejected;
    return error;
  };
  if (state_ == DtlsState::Closed || state_ == DtlsState::Failed) {
    return refuse(endpointError(base::ErrorCode::InvalidState, "datagram after the association ended"));
  }
  if (state_ == DtlsState::New && config_.role == DtlsRole::Client) {
    return refuse(endpointError(base::ErrorCode::InvalidState, "datagram before start()"));
  }
  if (datagram.size() > kMaxDatagramSize) {
    return refuse(endpointError(base::ErrorCode::TooLarge, "datagram larger than 16384 bytes"));
  }
  // OpenSSL would drop records it cannot parse one by one; a datagram that is not DTLS
  // records end to end is not worth waking it for.
  const auto records = DtlsRecord::parseDatagram(datagram);
  if (!records) return refuse(records.error());

  if (state_ == DtlsState::Connected && !ssl_) {
    if (!readAlerts(*records)) {
      return refuse(endpointError(base::ErrorCode::Unauthorized,
                                  "no alert that authenticates (all that is read after the handshake)"));
    }
    ++counters_.datagramsReceived;
    deliver();
    return {};
  }
  ++counters_.datagramsReceived;
  lastHeard_ = now;
  if (state_ == DtlsState::New) {
    state_ = DtlsState::Connecting;
    handshakeDeadline_ = now + config_.handshakeTimeout;
  }
  // One datagram at a time: OpenSSL reads the whole BIO content as one datagram.
  (void)BIO_reset(readBio_);
  if (BIO_write(readBio_, datagram.data(), static_cast<int>(datagram.size())) !=
      static_cast<int>(datagram.size())) {
    ERR_clear_error();
    return refuse(endpointError(base::ErrorCode::Internal, "read BIO refused the datagram"));
  }
  advance();
  (void)BIO_reset(readBio_);
  deliver();
  return {};
}

std::optional<base::SteadyTime> DtlsEndpoint::nextTimeout(base::SteadyTime now) const {
  if (state_ == DtlsState::Connected && ssl_) return lastHeard_ + config_.releaseWhenQuiet;
  if (state_ != DtlsState::Connecting) return std::nullopt;
  std::optional<base::SteadyTime> next = handshakeDeadline_;
  timeval left{};
  if (DTLSv1_get_timeout(ssl_.get(), &left) == 1) {
    const base::SteadyTime retransmit =
        now + std::chrono::seconds(left.tv_sec) + std::chrono::microseconds(left.tv_usec);
    next = next ? std::min(*next, retransmit) : retransmit;
  }
  return next;
}

void DtlsEndpoint::onTimeout(base::SteadyTime now) {
  if (delivering_) return;
  if (state_ == DtlsState::Connected && ssl_ && now >= lastHeard_ + config_.releaseWhenQuiet) releaseSsl();
  if (state_ != DtlsState::Connecting) return;
  if (handshakeDeadline_ && now >= *handshakeDeadline_) {
    fail(base::ErrorCode::Timeout,
         "handshake did not finish in " + std::to_string(config_.handshakeTimeout.count()) + " ms");
  } else {
    ERR_clear_error();
    // > 0: the flight went out again; 0: OpenSSL's timer has not expired; < 0: fatal, which in
    // a handshake means too many timeouts (OpenSSL gives up after 12).
    if (DTLSv1_handle_timeout(ssl_.get()) < 0)
      fail(base::ErrorCode::Timeout, takeSslErrors("retransmission failed"));
    ERR_clear_error();
  }
  finishDatagram();
  deliver();
}

base::Status DtlsEndpoint::send(std::span<const std::uint8_t> data) {
  if (delivering_) return endpointError(base::ErrorCode::InvalidState, "send() from a listener callback");
  if (state_ != DtlsState::Connected) return endpointError(base::ErrorCode::InvalidState, "not connected");
  if (!ssl_) return endpointError(base::ErrorCode::InvalidState, "OpenSSL's state is freed: no data");
  if (data.empty()) return {};
  const std::size_t room = DTLS_get_data_mtu(ssl_.get());
  if (room != 0 && data.size() > room) {
    return endpointError(base::ErrorCode::TooLarge, "more than one record of the MTU holds");
  }
  ERR_clear_error();
  (void)SSL_alloc_buffers(ssl_.get());  // see releaseBuffers
  const int written = SSL_write(ssl_.get(), data.data(), static_cast<int>(data.size()));
  if (written <= 0) handleSslResult(written);
  finishDatagram();
  releaseBuffers();
  deliver();
  if (written <= 0) return endpointError(base::ErrorCode::Io, "SSL_write failed");
  return {};
}

void DtlsEndpoint::close() {
  if (delivering_) return;
  if (state_ == DtlsState::Connected && !ssl_) {
    sendCloseNotify();
  } else if (state_ == DtlsState::Connected) {
    ERR_clear_error();
    (void)SSL_alloc_buffers(ssl_.get());  // see releaseBuffers
    (void)SSL_shutdown(ssl_.get());  // sends close_notify; we do not wait for the peer's
    ERR_clear_error();
  }
  if (state_ != DtlsState::Failed) state_ = DtlsState::Closed;
  finishDatagram();
  deliver();
}

void DtlsEndpoint::advance() {
  ERR_clear_error();
  (void)SSL_alloc_buffers(ssl_.get());  // see releaseBuffers
  if (state_ == DtlsState::Connecting) {
    const int result = SSL_do_handshake(ssl_.get());
    if (result == 1) {
      completeHandshake();
    } else {
      handleSslResult(result);
    }
  }
  // Records that followed the peer's Finished in the same datagram, or anything after the
  // handshake: application data, close_notify, a retransmitted flight OpenSSL must answer.
  if (state_ == DtlsState::Connected) readApplicationData();
  finishDatagram();
  releaseBuffers();
  ERR_clear_error();
}

// Once connected, OpenSSL reads or writes a record only now and then (close_notify, a flight
// the peer asks for again): its read and write buffers (~14 KB each, kept per session for its
// whole life otherwise) go back after each call, and every call that may write allocates them
// first (SSL_alloc_buffers: nothing to do when they are there) — OpenSSL 3.0's DTLS write
// path does not allocate a freed write buffer by itself.
void DtlsEndpoint::releaseBuffers() {
  if (state_ == DtlsState::Connected) (void)SSL_free_buffers(ssl_.get());
}

bool DtlsEndpoint::peerFinished() {
  if (delivering_ || state_ != DtlsState::Connected || !ssl_) return false;
  releaseSsl();
  return true;
}

void DtlsEndpoint::releaseSsl() {
  ssl_.reset();  // frees both BIOs
  readBio_ = nullptr;
  ctx_.reset();
  // What only the handshake needed (written_ would keep the capacity of the largest flight).
  expected_ = {};
  verifyFailure_ = {};
  written_ = {};
}

bool DtlsEndpoint::readAlerts(const std::vector<DtlsRecord>& records) {
  bool authenticated = false;
  for (const DtlsRecord& record : records) {
    const auto alert = alerts_->open(record);
    if (!alert) continue;
    authenticated = true;
    if (alert->description == DtlsAlert::kCloseNotify) {
      // RFC 5246 §7.2.1: answer close_notify with close_notify.
      sendCloseNotify();
      state_ = DtlsState::Closed;
      events_.push_back({Event::Kind::Closed, {}, {}});
      return true;
    }
    if (alert->level == DtlsAlert::kFatal) {
      fail(base::ErrorCode::Closed, "the peer sent fatal alert " + std::to_string(alert->description));
      return true;
    }
    // Other warnings (user_canceled before a close_notify, RFC 5246 §7.2.2) change nothing.
  }
  return authenticated;
}

void DtlsEndpoint::sendCloseNotify() {
  if (const auto record = alerts_->seal({DtlsAlert::kWarning, DtlsAlert::kCloseNotify}, nextSequence_++)) {
    outgoing_.emplace_back(record->begin(), record->end());
  }
}

void DtlsEndpoint::handleSslResult(int result) {
  switch (SSL_get_error(ssl_.get(), result)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      ERR_clear_error();
      return;
    case SSL_ERROR_ZERO_RETURN:
      if (state_ == DtlsState::Connected) {
        // RFC 5246 §7.2.1: answer close_notify with close_notify.
        (void)SSL_shutdown(ssl_.get());
        ERR_clear_error();
        state_ = DtlsState::Closed;
        events_.push_back({Event::Kind::Closed, {}, {}});
      } else {
        fail(base::ErrorCode::Closed, "peer closed the association during the handshake");
      }
      return;
    default:
      fail(verifyFailure_.empty() ? base::ErrorCode::Malformed : base::ErrorCode::Unauthorized,
           takeSslErrors(state_ == DtlsState::Connecting ? "handshake failed" : "connection failed"));
      return;
  }
}

void DtlsEndpoint::completeHandshake() {
  // The verify callback already pinned the certificate; checking again here costs one hash
  // and keeps a future change of OpenSSL's verification flow from letting a stranger in.
  std::string why;
  X509* peer = SSL_get0_peer_certificate(ssl_.get());
  if (peer == nullptr || !peerMatches(peer, why)) {
    (void)SSL_shutdown(ssl_.get());
    fail(base::ErrorCode::Unauthorized, peer == nullptr ? "peer sent no certificate" : why);
    return;
  }
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_.get());
  const auto profile = selected != nullptr ? profileFromId(selected->id) : std::nullopt;
  if (!profile) {
    (void)SSL_shutdown(ssl_.get());
    fail(base::ErrorCode::Unsupported, "no SRTP profile negotiated (use_srtp, RFC 5764 §4.1.1)");
    return;
  }
  // RFC 5764 §4.2: client_write_SRTP_master_key | server_write_SRTP_master_key |
  // client_write_SRTP_master_salt | server_write_SRTP_master_salt.
  const std::size_t keySize = srtpKeySize(*profile);
  const std::size_t saltSize = srtpSaltSize(*profile);
  std::array<unsigned char, 2 * (16 + 14)> material{};
  const std::size_t total = 2 * (keySize + saltSize);
  if (SSL_export_keying_material(ssl_.get(), material.data(), total, kExporterLabel.data(),
                                 kExporterLabel.size(), nullptr, 0, 0) != 1) {
    fail(base::ErrorCode::Internal, takeSslErrors("exporting the SRTP keys failed"));
    return;
  }
  const auto slice = [&](std::size_t offset, std::size_t size) {
    return std::vector<std::uint8_t>(material.begin() + static_cast<std::ptrdiff_t>(offset),
                                     material.begin() + static_cast<std::ptrdiff_t>(offset + size));
  };
  SrtpMasterKey client{slice(0, keySize), slice(2 * keySize, saltSize)};
  SrtpMasterKey server{slice(keySize, keySize), slice(2 * keySize + saltSize, saltSize)};
  OPENSSL_cleanse(material.data(), material.size());
  const bool isClient = config_.role == DtlsRole::Client;
  // The alert keys now, while OpenSSL has the session: the handshake fails rather than leave
  // an association that could not be closed once its `SSL` is freed.
  const auto suite = suiteOf(SSL_get_current_cipher(ssl_.get()));
  std::array<std::uint8_t, DtlsAlertCipher::kMasterSecretSize> master{};
  std::array<std::uint8_t, DtlsAlertCipher::kRandomSize> clientRandom{}, serverRandom{};
  const SSL_SESSION* session = SSL_get_session(ssl_.get());
  const bool haveSecrets =
      session != nullptr &&
      SSL_SESSION_get_master_key(session, master.data(), master.size()) == master.size() &&
      SSL_get_client_random(ssl_.get(), clientRandom.data(), clientRandom.size()) == clientRandom.size() &&
      SSL_get_server_random(ssl_.get(), serverRandom.data(), serverRandom.size()) == serverRandom.size();
  const char* missing = suite ? "no session secret" : "not an AES-GCM suite";
  auto alerts = suite && haveSecrets
                    ? DtlsAlertCipher::derive(*suite, master, clientRandom, serverRandom, isClient)
                    : base::Result<DtlsAlertCipher>(endpointError(base::ErrorCode::Unsupported, missing));
  OPENSSL_cleanse(master.data(), master.size());
  if (!alerts) {
    (void)SSL_shutdown(ssl_.get());
    fail(base::ErrorCode::Unsupported, "no alert keys: " + alerts.error().message);
    return;
  }
  alerts_.emplace(std::move(alerts).value());
  keys_ = DtlsSrtpKeys{*profile, isClient ? std::move(client) : std::move(server),
                       isClient ? std::move(server) : std::move(client)};
  state_ = DtlsState::Connected;
  handshakeDeadline_.reset();
  events_.push_back({Event::Kind::Connected, {}, {}});
}

void DtlsEndpoint::readApplicationData() {
  // On the stack: a buffer kept per endpoint would cost every session 16 KB for the rare
  // datagram that carries application data.
  std::array<std::uint8_t, kMaxDatagramSize> buffer;
  for (std::size_t i = 0; i < kMaxReadsPerCall && state_ == DtlsState::Connected; ++i) {
    const int n = SSL_read(ssl_.get(), buffer.data(), static_cast<int>(buffer.size()));
    if (n <= 0) {
      handleSslResult(n);
      return;
    }
    events_.push_back({Event::Kind::Data, {buffer.begin(), buffer.begin() + n}, {}});
  }
}

void DtlsEndpoint::fail(base::ErrorCode code, const std::string& what) {
  if (state_ == DtlsState::Failed || state_ == DtlsState::Closed) return;
  state_ = DtlsState::Failed;
  handshakeDeadline_.reset();
  events_.push_back({Event::Kind::Failed, {}, endpointError(code, what)});
}

std::string DtlsEndpoint::takeSslErrors(const std::string& what) {
  std::string text = what;
  if (!verifyFailure_.empty()) text += ": " + verifyFailure_;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text += text == what ? ": " : "; ";
    text += buffer;
  }
  return text;
}

void DtlsEndpoint::finishDatagram() {
  // OpenSSL flushes after each datagram's worth of records (it sizes them by BIO_wpending, so
  // they fit the MTU); still, pack by whole records so no datagram can exceed it.
  std::span<const std::uint8_t> rest = written_;
  std::vector<std::uint8_t> datagram;
  while (!rest.empty()) {
    auto record = DtlsRecord::parse(rest);
    const std::size_t size = record ? record->size() : rest.size();
    if (record && record->epoch() == DtlsAlertCipher::kEpoch)
      nextSequence_ = std::max(nextSequence_, record->sequenceNumber() + 1);
    if (!datagram.empty() && datagram.size() + size > config_.mtu)
      outgoing_.push_back(std::exchange(datagram, {}));
    datagram.insert(datagram.end(), rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(size));
    rest = rest.subspan(size);
  }
  if (!datagram.empty()) outgoing_.push_back(std::move(datagram));
  written_.clear();
}

void DtlsEndpoint::deliver() {
  delivering_ = true;
  auto datagrams = std::exchange(outgoing_, {});
  auto events = std::exchange(events_, {});
  for (const auto& datagram : datagrams) {
    ++counters_.datagramsSent;
    listener_.onDtlsSend(*this, datagram);
  }
  for (const Event& event : events) {
    switch (event.kind) {
      case Event::Kind::Connected:
        listener_.onDtlsConnected(*this, *keys_);
        break;
      case Event::Kind::Data:
        listener_.onDtlsData(*this, event.data);
        break;
      case Event::Kind::Closed:
        listener_.onDtlsClosed(*this);
        break;
      case Event::Kind::Failed:
        listener_.onDtlsFailed(*this, event.error);
        break;
    }
  }
  delivering_ = false;
}

// The write side: a BIO that keeps what OpenSSL writes until it flushes (the end of a datagram
// in OpenSSL's view) and reports the bytes pending, which OpenSSL subtracts from the MTU when
// it decides how much of the next handshake message still fits the current datagram.
BIO_METHOD* DtlsEndpoint::datagramSink() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "ocellus dtls datagram sink");
    if (m != nullptr) {
      BIO_meth_set_create(m, sinkCreate);
      BIO_meth_set_destroy(m, sinkDestroy);
      BIO_meth_set_write(m, sinkWrite);
      BIO_meth_set_ctrl(m, sinkCtrl);
    }
    return m;
  }();
  return method;
}

int DtlsEndpoint::sinkCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int DtlsEndpoint::sinkDestroy(BIO* bio) {
  BIO_set_data(bio, nullptr);
  BIO_set_init(bio, 0);
  return 1;
}

int DtlsEndpoint::sinkWrite(BIO* bio, const char* data, int length) {
  auto* self = static_cast<DtlsEndpoint*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (self == nullptr || length < 0) return -1;
  self->written_.insert(self->written_.end(), data, data + length);
  return length;
}

long DtlsEndpoint::sinkCtrl(BIO* bio, int command, long, void*) {
  auto* self = static_cast<DtlsEndpoint*>(BIO_get_data(bio));
  if (self == nullptr) return 0;
  switch (command) {
    case BIO_CTRL_FLUSH:
      self->finishDatagram();
      return 1;
    case BIO_CTRL_WPENDING:
      return static_cast<long>(self->written_.size());
    case BIO_CTRL_PENDING:
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:  // the MTU we set is already the datagram size
      return 0;
    default:
      return 0;
  }
}

}  // namespace ocellus::proto::webrtc
