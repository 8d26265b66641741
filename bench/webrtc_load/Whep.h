// The text a WHEP viewer writes and reads: the HTTP/1.1 exchange of the WHEP draft
// (draft-ietf-wish-whep: POST an SDP offer, 201 with the answer and a Location; DELETE ends the
// session), the recvonly H.264 offer (RFC 8829 §5.2, RFC 8866), the few attributes an ICE-lite
// server's SDP gives us, and the answer to a server that offers instead. Pure functions, no I/O.
//
// Unlike rtsp_load this client shares code with the server: the wire formats a WebRTC viewer
// needs beyond text (STUN, DTLS, SRTP) come from proto/webrtc. The SDP here is written by hand,
// not by proto's SdpNegotiator, so the server still parses an offer it did not generate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Result.h"
#include "proto/webrtc/CertificateFingerprint.h"
#include "proto/webrtc/IceLite.h"

namespace ocellus::bench {

// Bounds for what we accept from a server.
constexpr size_t kMaxHttpResponseBytes = 64 * 1024;

struct HttpUrl {
  std::string host;
  uint16_t port = 80;
  std::string path;  // starts with '/'
};
// http://host[:port][/path]; no credentials, no https.
std::optional<HttpUrl> parseHttpUrl(std::string_view text);

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, in order
  std::string body;
  std::string header(std::string_view lowerName) const;
};
// A complete response at the start of `buf`: its length, with `out` filled in (a chunked body
// decoded). 0: not complete yet. -1: malformed, or larger than kMaxHttpResponseBytes. Without Content-Length
// the body runs to the end of the connection: pass eof = true once the peer has closed.
long parseHttpResponse(std::string_view buf, HttpResponse& out, bool eof);

// One request with Connection: close. `extraHeaders` are whole "Name: value\r\n" lines.
std::string httpRequest(std::string_view method, const HttpUrl& server, std::string_view path,
                        std::string_view contentType, std::string_view body, std::string_view extraHeaders);

// A recvonly offer with one BUNDLEd video section: H.264 Constrained Baseline 42e01f,
// packetization-mode 1 (payload type 96) with RTX (97), NACK and PLI feedback, rtcp-mux,
// reduced-size RTCP, our ICE credentials, `fingerprint` ("sha-256 AB:…") and setup:actpass.
std::string whepOffer(const proto::webrtc::IceCredentials& ice, std::string_view fingerprint,
                      uint64_t sessionId);

// What a viewer takes from the server's SDP: a WHEP answer, or the offer of a server that offers
// (Janus's streaming plugin).
struct RemoteDescription {
  std::string iceUfrag;
  std::string icePwd;
  proto::webrtc::CertificateFingerprint fingerprint;
  std::string host;  // the first UDP IPv4 host candidate: where checks, DTLS and RTCP go
  uint16_t port = 0;
  std::string mid;           // of the first video section
  int h264PayloadType = -1;  // the first H264/90000 of that section
};
// Malformed when a credential, the fingerprint or a UDP IPv4 candidate is missing, or when the
// DTLS role leaves us anything but the client: an answer must say setup:passive, an offer
// actpass or passive (RFC 8842 §5.1); an offer also needs a video section with H.264.
base::Result<RemoteDescription> parseRemoteDescription(std::string_view sdp, bool isOffer);

// Our answer to a server's offer: recvonly on its video section and H.264 payload type, setup:active
// (we are the DTLS client), our ICE credentials and `fingerprint`, and our one host candidate.
std::string answerSdp(const RemoteDescription& offer, const proto::webrtc::IceCredentials& ice,
                      std::string_view fingerprint, std::string_view candidateHost, uint16_t candidatePort,
                      uint64_t sessionId);

}  // namespace ocellus::bench
