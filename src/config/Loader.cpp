#include "config/Loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "io/Address.h"
#include "sources/SourceManager.h"

extern char** environ;

namespace ocellus::config {
namespace {

std::string envName(const std::string& path) {
  std::string out = "OCELLUS_";
  for (char c : path) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }

// Walks the YAML tree with the schema written as code in readConfig(). Run once without a
// tree ("collect"), it records every key path, so environment names come from the same code.
class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  void fail(const YAML::Node& node, const std::string& path, const std::string& what) {
    std::ostringstream s;
    s << origin_;
    if (node.IsDefined() && node.Mark().line >= 0) s << ":" << node.Mark().line + 1;
    s << ": " << (path.empty() ? "(top level)" : path) << ": " << what;
    errors_.push_back(s.str());
  }

  // Reports keys of `node` that the schema does not know; false if node is not a mapping.
  bool only(const YAML::Node& node, const std::string& path, std::initializer_list<const char*> keys) {
    if (!node.IsDefined() || node.IsNull()) return false;
    if (!node.IsMap()) {
      fail(node, path, "expected a mapping of keys");
      return false;
    }
    for (const auto& kv : node) {
      const auto key = kv.first.as<std::string>();
      if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; })) {
        std::string known;
        for (const char* k : keys) known += std::string(known.empty() ? "" : ", ") + k;
        fail(kv.first, join(path, key), "unknown key (known here: " + known + ")");
      }
    }
    return true;
  }

  template <typename T>
  void get(const YAML::Node& parent, const std::string& path, const char* key, T& out) {
    const auto full = join(path, key);
    paths_.insert(full);
    if (!parent.IsDefined() || !parent.IsMap()) return;
    const auto node = parent[key];
    if (!node.IsDefined() || node.IsNull()) return;
    try {
      out = node.as<T>();
    } catch (const YAML::Exception&) {
      fail(node, full, std::string("expected ") + typeName<T>());
    }
  }

  // A list of mappings, each read by `item(node, path, value)`.
  template <typename T, typename F>
  void list(const YAML::Node& parent, const std::string& path, const char* key, std::vector<T>& out, F item) {
    const auto full = join(path, key);
    paths_.insert(full);
    if (!parent.IsDefined() || !parent.IsMap()) return;
    const auto node = parent[key];
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsSequence()) {
      fail(node, full, "expected a list");
      return;
    }
    out.clear();
    for (std::size_t i = 0; i < node.size(); ++i) {
      T value{};
      item(node[i], full + "[" + std::to_string(i) + "]", value);
      out.push_back(std::move(value));
    }
  }

  const std::vector<std::string>& errors() const { return errors_; }
  const std::set<std::string>& paths() const { return paths_; }

 private:
  template <typename T>
  static const char* typeName() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    if constexpr (std::is_same_v<T, int>) return "an integer";
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    if constexpr (std::is_same_v<T, double>) return "a number";
    if constexpr (std::is_same_v<T, std::vector<std::string>>) return "a list of strings";
    if constexpr (std::is_same_v<T, std::map<std::string, int>>) return "a mapping of camera ids to integers";
    return "a value";
  }
  std::string origin_;
  std::vector<std::string> errors_;
  std::set<std::string> paths_;
};

void checkRecord(Reader& r, const YAML::Node& parent, const std::string& path, const std::string& value) {
  if (value != "continuous" && value != "off") r.fail(parent, path, "'" + value + "' is not continuous or off");
}

void readConfig(Reader& r, const YAML::Node& root, Config& c) {
  r.only(root, "", {"data_dir", "threads", "log", "http", "rtsp", "auth", "rtmp", "srt", "webrtc", "hls", "recording", "demo",
                    "sources", "events", "cameras", "paths"});
  r.get(root, "", "data_dir", c.dataDir);
  r.get(root, "", "threads", c.threads);

  const YAML::Node none;
  auto section = [&](const char* name) { return root.IsMap() ? root[name] : none; };

  const auto log = section("log");
  r.only(log, "log", {"level"});
  r.get(log, "log", "level", c.log.level);

  const auto http = section("http");
  r.only(http, "http", {"address", "tls_certificate", "tls_key", "cors_origins", "access_log", "max_connections"});
  r.get(http, "http", "address", c.http.address);
  r.get(http, "http", "tls_certificate", c.http.tlsCertificate);
  r.get(http, "http", "tls_key", c.http.tlsKey);
  r.get(http, "http", "cors_origins", c.http.corsOrigins);
  r.get(http, "http", "access_log", c.http.accessLog);
  r.get(http, "http", "max_connections", c.http.maxConnections);

  const auto rtsp = section("rtsp");
  r.only(rtsp, "rtsp", {"address", "transports", "udp_rtp_address", "udp_rtcp_address", "session_timeout_seconds"});
  r.get(rtsp, "rtsp", "address", c.rtsp.address);
  r.get(rtsp, "rtsp", "transports", c.rtsp.transports);
  r.get(rtsp, "rtsp", "udp_rtp_address", c.rtsp.udpRtpAddress);
  r.get(rtsp, "rtsp", "udp_rtcp_address", c.rtsp.udpRtcpAddress);
  r.get(rtsp, "rtsp", "session_timeout_seconds", c.rtsp.sessionTimeoutSeconds);

  const auto auth = section("auth");
  r.only(auth, "auth", {"anonymous_media", "users", "access_token_ttl_seconds", "refresh_token_ttl_days"});
  r.get(auth, "auth", "anonymous_media", c.auth.anonymousMedia);
  r.get(auth, "auth", "access_token_ttl_seconds", c.auth.accessTokenTtlSeconds);
  r.get(auth, "auth", "refresh_token_ttl_days", c.auth.refreshTokenTtlDays);
  r.list(auth, "auth", "users", c.auth.users, [&](const YAML::Node& n, const std::string& p, MediaUser& u) {
    r.only(n, p, {"username", "password", "read", "publish"});
    r.get(n, p, "username", u.username);
    r.get(n, p, "password", u.password);
    r.get(n, p, "read", u.read);
    r.get(n, p, "publish", u.publish);
    if (u.username.empty()) r.fail(n, p + ".username", "is required");
  });

  const auto rtmp = section("rtmp");
  r.only(rtmp, "rtmp", {"address", "tls_address", "tls_certificate", "tls_key"});
  r.get(rtmp, "rtmp", "address", c.rtmp.address);
  r.get(rtmp, "rtmp", "tls_address", c.rtmp.tlsAddress);
  r.get(rtmp, "rtmp", "tls_certificate", c.rtmp.tlsCertificate);
  r.get(rtmp, "rtmp", "tls_key", c.rtmp.tlsKey);

  const auto srt = section("srt");
  r.only(srt, "srt", {"address", "passphrase", "latency_ms"});
  r.get(srt, "srt", "address", c.srt.address);
  r.get(srt, "srt", "passphrase", c.srt.passphrase);
  r.get(srt, "srt", "latency_ms", c.srt.latencyMs);

  const auto hls = section("hls");
  r.only(hls, "hls", {"enabled", "segment_ms", "part_ms", "segments_kept", "always_remux", "idle_timeout_seconds"});
  r.get(hls, "hls", "enabled", c.hls.enabled);
  r.get(hls, "hls", "segment_ms", c.hls.segmentMs);
  r.get(hls, "hls", "part_ms", c.hls.partMs);
  r.get(hls, "hls", "segments_kept", c.hls.segmentsKept);
  r.get(hls, "hls", "always_remux", c.hls.alwaysRemux);
  r.get(hls, "hls", "idle_timeout_seconds", c.hls.idleTimeoutSeconds);

  const auto webrtc = section("webrtc");
  r.only(webrtc, "webrtc", {"enabled", "udp_address", "additional_hosts", "ice_servers", "turn_secret", "turn_credential_ttl_seconds",
                            "handshake_timeout_seconds", "ice_tcp"});
  r.get(webrtc, "webrtc", "enabled", c.webrtc.enabled);
  r.get(webrtc, "webrtc", "udp_address", c.webrtc.udpAddress);
  r.get(webrtc, "webrtc", "ice_tcp", c.webrtc.iceTcp);
  r.get(webrtc, "webrtc", "additional_hosts", c.webrtc.additionalHosts);
  r.get(webrtc, "webrtc", "turn_secret", c.webrtc.turnSecret);
  r.get(webrtc, "webrtc", "turn_credential_ttl_seconds", c.webrtc.turnCredentialTtlSeconds);
  r.get(webrtc, "webrtc", "handshake_timeout_seconds", c.webrtc.handshakeTimeoutSeconds);
  r.list(webrtc, "webrtc", "ice_servers", c.webrtc.iceServers,
         [&](const YAML::Node& n, const std::string& p, IceServerConfig& s) {
           r.only(n, p, {"urls", "username", "credential"});
           r.get(n, p, "urls", s.urls);
           r.get(n, p, "username", s.username);
           r.get(n, p, "credential", s.credential);
           if (s.urls.empty()) r.fail(n, p + ".urls", "at least one stun:, turn: or turns: URL is needed");
           for (const auto& u : s.urls) {
             if (u.rfind("stun:", 0) != 0 && u.rfind("turn:", 0) != 0 && u.rfind("turns:", 0) != 0) {
               r.fail(n, p + ".urls", "'" + u + "' is not a stun:, turn: or turns: URL");
             }
           }
         });


  const auto recording = section("recording");
  r.only(recording, "recording", {"segment_seconds", "fragment_ms", "fsync", "retention"});
  r.get(recording, "recording", "segment_seconds", c.recording.segmentSeconds);
  r.get(recording, "recording", "fragment_ms", c.recording.fragmentMs);
  r.get(recording, "recording", "fsync", c.recording.fsync);
  if (c.recording.fsync != "none" && c.recording.fsync != "fragment" && c.recording.fsync != "segment") {
    r.fail(recording["fsync"], "recording.fsync", "'" + c.recording.fsync + "' is not none, fragment or segment");
  }
  const auto retention = recording.IsDefined() && recording.IsMap() ? recording["retention"] : none;
  auto& rc = c.recording.retention;
  r.only(retention, "recording.retention", {"enabled", "max_age_days", "max_age_days_by_camera", "max_size_gb",
                                            "min_free_gb", "low_space_warning_gb", "interval_seconds"});
  r.get(retention, "recording.retention", "enabled", rc.enabled);
  r.get(retention, "recording.retention", "max_age_days", rc.maxAgeDays);
  r.get(retention, "recording.retention", "max_age_days_by_camera", rc.maxAgeDaysByCamera);
  r.get(retention, "recording.retention", "max_size_gb", rc.maxSizeGb);
  r.get(retention, "recording.retention", "min_free_gb", rc.minFreeGb);
  r.get(retention, "recording.retention", "low_space_warning_gb", rc.lowSpaceWarningGb);
  r.get(retention, "recording.retention", "interval_seconds", rc.intervalSeconds);

  const auto demo = section("demo");
  r.only(demo, "demo", {"enabled", "record", "path", "width", "height", "fps", "bitrate_kbps"});
  r.get(demo, "demo", "enabled", c.demo.enabled);
  r.get(demo, "demo", "record", c.demo.record);
  checkRecord(r, demo, "demo.record", c.demo.record);
  r.get(demo, "demo", "path", c.demo.path);
  r.get(demo, "demo", "width", c.demo.width);
  r.get(demo, "demo", "height", c.demo.height);
  r.get(demo, "demo", "fps", c.demo.fps);
  r.get(demo, "demo", "bitrate_kbps", c.demo.bitrateKbps);

  const auto sources = section("sources");
  r.only(sources, "sources", {"reconnect_min_ms", "reconnect_max_ms", "read_timeout_seconds",
                              "on_demand_idle_seconds", "on_demand_start_timeout_seconds"});
  r.get(sources, "sources", "reconnect_min_ms", c.sources.reconnectMinMs);
  r.get(sources, "sources", "reconnect_max_ms", c.sources.reconnectMaxMs);
  r.get(sources, "sources", "read_timeout_seconds", c.sources.readTimeoutSeconds);
  r.get(sources, "sources", "on_demand_idle_seconds", c.sources.onDemandIdleSeconds);
  r.get(sources, "sources", "on_demand_start_timeout_seconds", c.sources.onDemandStartTimeoutSeconds);

  const auto events = section("events");
  r.only(events, "events", {"camera_offline_delay_seconds", "webhooks"});
  r.get(events, "events", "camera_offline_delay_seconds", c.events.cameraOfflineDelaySeconds);
  r.list(events, "events", "webhooks", c.events.webhooks, [&](const YAML::Node& n, const std::string& p, WebhookConfig& w) {
    r.only(n, p, {"url", "secret", "events"});
    r.get(n, p, "url", w.url);
    r.get(n, p, "secret", w.secret);
    r.get(n, p, "events", w.events);
    if (w.url.rfind("http://", 0) != 0) r.fail(n, p + ".url", "'" + w.url + "' is not an http:// URL");
  });

  r.list(root, "", "cameras", c.cameras, [&](const YAML::Node& n, const std::string& p, CameraConfig& cam) {
    r.only(n, p, {"id", "name", "source", "on_demand", "record"});
    r.get(n, p, "id", cam.id);
    r.get(n, p, "name", cam.name);
    r.get(n, p, "source", cam.source);
    r.get(n, p, "on_demand", cam.onDemand);
    r.get(n, p, "record", cam.record);
    checkRecord(r, n, p + ".record", cam.record);
    static const std::regex idPattern("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
    if (!std::regex_match(cam.id, idPattern)) {
      r.fail(n, p + ".id", "'" + cam.id + "' is not a camera id (letters, digits, '_', '.', '-'; up to 64)");
    }
    if (auto valid = sources::SourceManager::validateSource(cam.source); !valid) {
      r.fail(n, p + ".source", valid.error().message);
    }
  });

  // paths: {<name or ~regex>: {publish: bool}}
  const auto paths = section("paths");
  if (paths.IsDefined() && !paths.IsNull()) {
    if (!paths.IsMap()) {
      r.fail(paths, "paths", "expected a mapping of path names to settings");
    } else {
      c.paths.clear();
      for (const auto& kv : paths) {
        PathConfig pc;
        pc.pattern = kv.first.as<std::string>();
        const auto p = "paths." + pc.pattern;
        r.only(kv.second, p, {"publish", "anonymous_media"});
        r.get(kv.second, p, "publish", pc.publish);
        r.get(kv.second, p, "anonymous_media", pc.anonymousMedia);
        if (!pc.anonymousMedia.empty() && pc.anonymousMedia != "any" && pc.anonymousMedia != "loopback" &&
            pc.anonymousMedia != "none") {
          r.fail(kv.second, p + ".anonymous_media", "'" + pc.anonymousMedia + "' is not any, loopback or none");
        }
        if (!pc.pattern.empty() && pc.pattern[0] == '~') {
          try {
            std::regex check(pc.pattern.substr(1));
          } catch (const std::regex_error& e) {
            r.fail(kv.first, p, std::string("invalid regular expression: ") + e.what());
          }
        }
        c.paths.push_back(std::move(pc));
      }
    }
  }
}

// Checks values that have the right type but a wrong meaning.
void validate(const Config& c, std::vector<std::string>& errors, const std::string& origin) {
  auto bad = [&](const std::string& key, const std::string& what) { errors.push_back(origin + ": " + key + ": " + what); };
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"http.address", &c.http.address},
                            {"rtsp.address", &c.rtsp.address},
                            {"rtsp.udp_rtp_address", &c.rtsp.udpRtpAddress},
                            {"rtsp.udp_rtcp_address", &c.rtsp.udpRtcpAddress},
                            {"rtmp.address", &c.rtmp.address},
                            {"srt.address", &c.srt.address},
                            {"rtmp.tls_address", &c.rtmp.tlsAddress},
                            {"webrtc.udp_address", &c.webrtc.udpAddress}}) {
    auto a = io::Address::parse(*value);
    if (!a) bad(key, a.error().message);
  }
  static const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
  if (!levels.count(c.log.level)) bad("log.level", "'" + c.log.level + "' is not one of trace, debug, info, warn, error, off");
  if (c.rtsp.transports.empty()) bad("rtsp.transports", "needs at least one of udp, tcp");
  for (const auto& t : c.rtsp.transports) {
    if (t != "udp" && t != "tcp") bad("rtsp.transports", "'" + t + "' is not udp or tcp");
  }
  if (c.auth.anonymousMedia != "any" && c.auth.anonymousMedia != "loopback" && c.auth.anonymousMedia != "none") {
    bad("auth.anonymous_media", "'" + c.auth.anonymousMedia + "' is not any, loopback or none");
  }
  if (c.http.tlsCertificate.empty() != c.http.tlsKey.empty()) {
    bad(c.http.tlsKey.empty() ? "http.tls_key" : "http.tls_certificate", "tls_certificate and tls_key go together");
  }
  if (c.rtmp.tlsCertificate.empty() != c.rtmp.tlsKey.empty()) {
    bad(c.rtmp.tlsKey.empty() ? "rtmp.tls_key" : "rtmp.tls_certificate", "tls_certificate and tls_key go together");
  }
  if (c.auth.accessTokenTtlSeconds < 30 || c.auth.accessTokenTtlSeconds > 86400) {
    bad("auth.access_token_ttl_seconds", "must be 30 to 86400");
  }
  if (c.auth.refreshTokenTtlDays < 1 || c.auth.refreshTokenTtlDays > 365) bad("auth.refresh_token_ttl_days", "must be 1 to 365");
  if (c.events.cameraOfflineDelaySeconds < 0 || c.events.cameraOfflineDelaySeconds > 3600) {
    bad("events.camera_offline_delay_seconds", "must be 0 to 3600");
  }
  if (c.recording.segmentSeconds < 10 || c.recording.segmentSeconds > 86400) {
    bad("recording.segment_seconds", "must be 10 to 86400");
  }
  if (c.recording.fragmentMs < 100 || c.recording.fragmentMs > 10000) bad("recording.fragment_ms", "must be 100 to 10000");
  const auto& rc = c.recording.retention;
  if (rc.maxAgeDays < 0) bad("recording.retention.max_age_days", "must not be negative (0: no age limit)");
  for (const auto& [camera, days] : rc.maxAgeDaysByCamera) {
    if (days < 1) bad("recording.retention.max_age_days_by_camera." + camera, "must be at least 1");
  }
  if (rc.maxSizeGb < 0) bad("recording.retention.max_size_gb", "must not be negative (0: no quota)");
  if (rc.minFreeGb < 0) bad("recording.retention.min_free_gb", "must not be negative");
  if (rc.lowSpaceWarningGb < rc.minFreeGb) {
    bad("recording.retention.low_space_warning_gb", "must be at least recording.retention.min_free_gb");
  }
  if (rc.intervalSeconds < 1) bad("recording.retention.interval_seconds", "must be at least 1");
  if (c.threads < 0 || c.threads > 256) bad("threads", "must be 0 (one per core) to 256");
  if (c.http.maxConnections < 1) bad("http.max_connections", "must be at least 1");
  if (c.webrtc.turnCredentialTtlSeconds < 60) bad("webrtc.turn_credential_ttl_seconds", "must be at least 60");
  if (c.webrtc.handshakeTimeoutSeconds < 1 || c.webrtc.handshakeTimeoutSeconds > 300) {
    bad("webrtc.handshake_timeout_seconds", "must be 1 to 300");
  }
  if (!c.srt.passphrase.empty() && (c.srt.passphrase.size() < 10 || c.srt.passphrase.size() > 79)) {
    bad("srt.passphrase", "must be 10 to 79 characters, or empty for no encryption");
  }
  if (c.srt.latencyMs < 20 || c.srt.latencyMs > 10000) bad("srt.latency_ms", "must be 20 to 10000");
  if (c.rtsp.sessionTimeoutSeconds < 5) bad("rtsp.session_timeout_seconds", "must be at least 5");
  if (c.hls.partMs < 50 || c.hls.partMs > 5000) bad("hls.part_ms", "must be 50 to 5000");
  if (c.hls.segmentMs < c.hls.partMs || c.hls.segmentMs > 60000) bad("hls.segment_ms", "must be hls.part_ms to 60000");
  if (c.hls.segmentsKept < 2 || c.hls.segmentsKept > 100) bad("hls.segments_kept", "must be 2 to 100");
  if (c.hls.idleTimeoutSeconds < 1) bad("hls.idle_timeout_seconds", "must be at least 1");
  if (c.demo.width < 64 || c.demo.width > 3840 || c.demo.width % 2) bad("demo.width", "must be an even number from 64 to 3840");
  if (c.demo.height < 64 || c.demo.height > 2160 || c.demo.height % 2) bad("demo.height", "must be an even number from 64 to 2160");
  if (c.demo.fps < 1 || c.demo.fps > 120) bad("demo.fps", "must be 1 to 120");
  if (c.demo.bitrateKbps < 50 || c.demo.bitrateKbps > 50000) bad("demo.bitrate_kbps", "must be 50 to 50000");
  if (c.sources.reconnectMinMs < 1 || c.sources.reconnectMaxMs < c.sources.reconnectMinMs) {
    bad("sources.reconnect_max_ms", "must be at least sources.reconnect_min_ms, which must be positive");
  }
  if (c.sources.readTimeoutSeconds < 1) bad("sources.read_timeout_seconds", "must be at least 1");
  if (c.sources.onDemandIdleSeconds < 0) bad("sources.on_demand_idle_seconds", "must not be negative");
  if (c.sources.onDemandStartTimeoutSeconds < 1) bad("sources.on_demand_start_timeout_seconds", "must be at least 1");
  std::set<std::string> ids;
  for (const auto& cam : c.cameras) {
    if (!ids.insert(cam.id).second) bad("cameras", "camera id '" + cam.id + "' appears twice");
  }
}

// Applies OCELLUS_<PATH>=value on top of the tree; the value is read as YAML so that
// numbers, booleans and lists ("[udp]") keep their types.
void applyEnvironment(YAML::Node& root, const Environment& env, const std::set<std::string>& paths,
                      std::vector<std::string>& errors) {
  std::map<std::string, std::string> byEnv;
  for (const auto& p : paths) byEnv[envName(p)] = p;
  for (const auto& [name, value] : env) {
    if (name.rfind("OCELLUS_", 0) != 0) continue;
    auto it = byEnv.find(name);
    if (it == byEnv.end()) continue;  // other OCELLUS_ variables (OCELLUS_ADMIN_PASSWORD…) are not config keys
    YAML::Node parsed;
    try {
      parsed = YAML::Load(value);
    } catch (const YAML::Exception& e) {
      errors.push_back(name + ": not valid YAML: " + e.msg);
      continue;
    }
    if (!root.IsMap()) root = YAML::Node(YAML::NodeType::Map);
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(it->second);
    while (std::getline(in, part, '.')) parts.push_back(part);
    // yaml-cpp nodes are handles: walking by assignment would rebind, so recurse by value.
    std::function<void(YAML::Node, std::size_t)> set = [&](YAML::Node node, std::size_t i) {
      if (i + 1 == parts.size()) {
        node[parts[i]] = parsed;
        return;
      }
      if (!node[parts[i]].IsMap()) node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      set(node[parts[i]], i + 1);
    };
    set(root, 0);
  }
}

}  // namespace

Environment processEnvironment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos || kv.rfind("OCELLUS_", 0) != 0) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

base::Result<Config> loadFromString(const std::string& yaml, const std::string& origin, const Environment& env) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           origin + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
  Reader collect(origin);
  Config scratch;
  readConfig(collect, YAML::Node(), scratch);

  std::vector<std::string> errors;
  applyEnvironment(root, env, collect.paths(), errors);

  Reader reader(origin);
  Config config;
  readConfig(reader, root, config);
  errors.insert(errors.end(), reader.errors().begin(), reader.errors().end());
  if (errors.empty()) validate(config, errors, origin);
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) message += (message.empty() ? "" : "\n") + e;
    return base::makeError(base::ErrorCode::InvalidArgument, message);
  }
  return config;
}

base::Result<Config> loadFromFile(const std::string& path, const Environment& env) {
  std::ifstream in(path);
  if (!in) return base::makeError(base::ErrorCode::NotFound, "cannot read config file '" + path + "'");
  std::stringstream s;
  s << in.rdbuf();
  return loadFromString(s.str(), path, env);
}

}  // namespace ocellus::config
