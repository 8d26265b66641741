#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/Log.h"
#include "base/Result.h"
#include "io/Address.h"
#include "io/IoContextPool.h"
#include "media/StreamRegistry.h"
#include "proto/webrtc/DtlsCertificate.h"
#include "proto/webrtc/IceCandidate.h"
#include "proto/webrtc/NegotiatedSession.h"
#include "proto/webrtc/NegotiationError.h"
#include "proto/webrtc/SdpNegotiator.h"
#include "server/webrtc/WebRtcTransport.h"

namespace ocellus::server::webrtc {

class Session;
class WebRtcPort;
class WebRtcTcpListener;

// WebRTC playback (WHEP) and publishing (WHIP) on one UDP port shared by every session (DESIGN
// §4): the server is an ICE-lite, DTLS-passive endpoint; the HTTP side (api layer) hands it
// offers and gets answers.
//
// Threading: createPlayer/createPublisher/closeSession/sessionCount from any thread (the
// control loop in practice; a mutex guards the session table, held only to add, find and
// remove). Each session lives on one media loop, chosen round robin.
class WebRtcServer {
 public:
  struct Options {
    io::Address udpAddress{"", 8189};
    // ICE-TCP (RFC 6544): a passive TCP listener on udpAddress's address and port number, and a
    // TCP host candidate beside each UDP one.
    bool iceTcp = true;
    // Extra host candidate addresses (a NAT's public IP, a DNS name is not allowed here).
    std::vector<std::string> additionalHosts;
    std::string certificateFile;  // ECDSA P-256 key and certificate, created when missing
    std::chrono::milliseconds handshakeTimeout{10000};  // WebRtcTransport::Params::connectTimeout
  };
  // Why an offer got no session: the api layer maps these to HTTP statuses.
  struct Refusal {
    enum class Kind { BadOffer, NoCommonCodec, NoStream, PathInUse, Internal } kind;
    std::string message;
  };
  struct Answer {
    std::string sessionId;
    std::string sdp;
  };

  WebRtcServer(io::IoContextPool& loops, media::StreamRegistry& registry, Options options);
  ~WebRtcServer();
  WebRtcServer(const WebRtcServer&) = delete;
  WebRtcServer& operator=(const WebRtcServer&) = delete;

  // Loads or creates the certificate, opens the UDP port, gathers host candidates.
  base::Status start();
  void stop();

  // A WHEP offer for a published path: the answer, or why not.
  base::Result<Answer, Refusal> createPlayer(const std::string& path, std::string_view offer);
  // A WHIP offer: publishes `path` at once (PathInUse when it has a publisher) with the
  // offered tracks the media core carries (H.264, H.265, Opus, G.711); `source` names the
  // publisher in the stream's description.
  base::Result<Answer, Refusal> createPublisher(const std::string& path, std::string_view offer,
                                                const std::string& source);
  // Ends a session (WHEP/WHIP DELETE); false when there is none.
  bool closeSession(const std::string& id);
  bool hasSession(const std::string& id) const;
  // Whether a session of that id ended within kEndedKept: a client's DELETE of a session the
  // server already closed (its stream ended) then succeeds instead of failing with 404.
  bool recentlyEnded(const std::string& id) const;
  static constexpr std::chrono::seconds kEndedKept{60};
  static constexpr std::size_t kEndedKeptMax = 4096;
  std::size_t sessionCount() const;

  std::uint16_t port() const;
  const std::vector<proto::webrtc::IceCandidate>& candidates() const { return candidates_; }

 private:
  std::vector<proto::webrtc::IceCandidate> gatherCandidates() const;
  struct Entry {
    std::shared_ptr<Session> session;
    io::IoContext* loop;
  };
  // Fresh ICE credentials, our fingerprint and candidates into the answer options.
  base::Result<proto::webrtc::IceCredentials, Refusal> fillLocal(proto::webrtc::AnswerOptions& options) const;
  static base::Result<proto::webrtc::NegotiatedSession, Refusal> negotiate(std::string_view offer,
                                                                            const proto::webrtc::AnswerOptions& options);
  // Starts the session (registering it on the port) and enters it in the table.
  base::Result<Answer, Refusal> launch(std::shared_ptr<Session> session, const WebRtcTransport::Params& transport, std::string answer);
  std::function<void(const std::string& id)> remover() const;
  // The transport half of a session's parameters: credentials, port, certificate, a loop.
  WebRtcTransport::Params transportParams(const proto::webrtc::NegotiatedSession& negotiated,
                                          const proto::webrtc::IceCredentials& local, std::chrono::milliseconds tick);

  io::IoContextPool& loops_;
  media::StreamRegistry& registry_;
  Options options_;
  base::Logger log_{"webrtc"};
  std::shared_ptr<const proto::webrtc::DtlsCertificate> certificate_;
  std::shared_ptr<WebRtcPort> port_;
  std::shared_ptr<WebRtcTcpListener> tcp_;  // null when ICE-TCP is off
  std::vector<proto::webrtc::IceCandidate> candidates_;
  // Shared with the sessions' onClosed, which may run after the server is gone.
  struct Sessions {
    std::mutex mutex;  // held only to add, find and remove
    std::map<std::string, Entry> byId;
    std::deque<std::pair<std::string, std::chrono::steady_clock::time_point>> ended;  // oldest first
  };
  std::shared_ptr<Sessions> sessions_ = std::make_shared<Sessions>();
};

}  // namespace ocellus::server::webrtc
