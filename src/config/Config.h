#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ocellus::config {

// Typed configuration. Every field here is a key in ocellus.yml (documented there with its
// default) and can be overridden by OCELLUS_<PATH> in the environment.

struct LogConfig {
  std::string level = "info";
};

struct HttpConfig {
  std::string address = ":8002";
  std::string tlsCertificate;            // PEM file; with tls_key the port speaks HTTPS/WSS only
  std::string tlsKey;
  std::vector<std::string> corsOrigins;  // browser origins allowed to call the API; "*" for any
  bool accessLog = true;                 // one log line per request
  int maxConnections = 16384;            // open HTTP and WebSocket connections; more are refused
};

struct RtspConfig {
  std::string address = ":8554";
  std::vector<std::string> transports = {"udp", "tcp"};  // offered to readers and used by pull sources
  std::string udpRtpAddress = ":8000";                    // server side of UDP transport (RTP)
  std::string udpRtcpAddress = ":8001";                   // and RTCP, the next port
  int sessionTimeoutSeconds = 60;                         // idle RTSP session without keep-alive
};

struct MediaUser {
  std::string username;
  std::string password;
  bool read = true;
  bool publish = false;
};

struct AuthConfig {
  std::string anonymousMedia = "loopback";  // any | loopback | none
  std::vector<MediaUser> users;             // extra media-only users from the config file
  int accessTokenTtlSeconds = 900;          // JWT lifetime
  int refreshTokenTtlDays = 7;              // refresh token lifetime (30 days with remember_me)
};

struct WebhookConfig {
  std::string url;                  // http://… receiver of event POSTs
  std::string secret;               // HMAC-SHA256 key for the X-Ocellus-Signature header
  std::vector<std::string> events;  // topics to send; empty: every alert
};

struct EventsConfig {
  int cameraOfflineDelaySeconds = 30;  // a camera must stay down this long before the alert
  std::vector<WebhookConfig> webhooks;
};

struct RtmpConfig {
  std::string address = ":1935";
  std::string tlsAddress = ":1936";  // RTMPS, when both files below are set
  std::string tlsCertificate;
  std::string tlsKey;
};

struct SrtConfig {
  std::string address = ":8890";  // UDP; callers say publish:PATH or read:PATH in their stream id
  std::string passphrase;         // 10 to 79 characters: callers must encrypt with it; empty: none
  int latencyMs = 200;            // SRT receive latency (its retransmission window)
};

struct IceServerConfig {
  std::vector<std::string> urls;  // stun:host[:port], turn:host[:port][?transport=udp|tcp], turns:…
  std::string username;           // TURN with fixed credentials
  std::string credential;
};

struct WebrtcConfig {
  bool enabled = true;  // false: no UDP port, WHEP/WHIP answer 404; browsers play LL-HLS instead
  std::string udpAddress = ":8189";
  bool iceTcp = true;  // ICE-TCP (RFC 6544) on udpAddress's port number, for networks that block UDP
  std::vector<std::string> additionalHosts;  // extra host candidates: a NAT's public IP
  std::vector<IceServerConfig> iceServers;    // handed to clients in Link headers (RFC 9725 §4.6)
  // TURN REST API shared secret (coturn use-auth-secret): TURN servers without fixed credentials
  // get per-session ones, "<expiry>:ocellus" / base64(HMAC-SHA1(secret, username)).
  std::string turnSecret;
  int turnCredentialTtlSeconds = 86400;
  // A session not connected (ICE and DTLS done) this long after its offer is dropped, and a
  // WHIP publisher's path is free again.
  int handshakeTimeoutSeconds = 10;
};

struct HlsConfig {
  bool enabled = true;
  int segmentMs = 1000;  // a segment closes at the first keyframe after this
  int partMs = 200;      // LL-HLS part target
  int segmentsKept = 7;  // complete segments kept in memory and listed
  bool alwaysRemux = false;  // package every stream, not only those with players
  int idleTimeoutSeconds = 60;  // stop packaging a stream this long after its last request
};

struct RetentionConfig {
  bool enabled = true;
  int maxAgeDays = 30;                          // 0: no age limit
  std::map<std::string, int> maxAgeDaysByCamera;  // camera id → days, overriding maxAgeDays
  double maxSizeGb = 0;                         // quota of all recordings together; 0: none
  double minFreeGb = 1;                         // free-space floor: the oldest go below it
  double lowSpaceWarningGb = 2;                 // storage_full alert below it
  int intervalSeconds = 60;                     // how often the cleaner runs
};

struct RecordingConfig {
  int segmentSeconds = 600;
  int fragmentMs = 1000;
  std::string fsync = "fragment";  // none | fragment | segment
  RetentionConfig retention;
};

struct DemoConfig {
  bool enabled = true;
  std::string record = "off";  // continuous | off
  std::string path = "demo";
  int width = 1280;
  int height = 720;
  int fps = 30;
  int bitrateKbps = 2000;
};

struct SourcesConfig {
  int reconnectMinMs = 500;     // first pause after a pull source fails
  int reconnectMaxMs = 30000;   // the pause doubles (with jitter) up to this
  int readTimeoutSeconds = 10;  // no packet for this long: reconnect
  int onDemandIdleSeconds = 10; // an on-demand source stops this long after its last reader
  int onDemandStartTimeoutSeconds = 10;
};

struct CameraConfig {
  std::string id;
  std::string name;
  std::string source;
  bool onDemand = false;
  std::string record = "off";  // continuous | off
};

struct PathConfig {
  std::string pattern;  // a path name, or "~regex"
  bool publish = true;
  std::string anonymousMedia;  // any | loopback | none; empty: auth.anonymous_media
};

struct Config {
  std::string dataDir = "./data";
  int threads = 0;  // media loops; 0: one per core
  LogConfig log;
  HttpConfig http;
  RtspConfig rtsp;
  AuthConfig auth;
  RtmpConfig rtmp;
  SrtConfig srt;
  WebrtcConfig webrtc;
  HlsConfig hls;
  RecordingConfig recording;
  DemoConfig demo;
  SourcesConfig sources;
  EventsConfig events;
  std::vector<CameraConfig> cameras;
  std::vector<PathConfig> paths;
};

}  // namespace ocellus::config
