#include "app/Application.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <sys/resource.h>

#include <filesystem>
#include <iostream>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "api/ControlPlane.h"
#include "app/ConfigAccessControl.h"
#include "app/Version.h"
#include "config/Loader.h"
#include "io/Address.h"
#include "io/IoContextPool.h"
#include "media/StreamRegistry.h"
#include "server/hls/HlsServer.h"
#include "server/rtmp/RtmpServer.h"
#include "server/rtsp/RtspServer.h"
#include "server/srt/SrtServer.h"
#include "server/webrtc/WebRtcServer.h"
#include "sources/DemoSource.h"
#include "sources/SourceManager.h"
#include "store/sqlite/SqliteStore.h"

namespace ocellus::app {

namespace {

// Every reader, publisher and API client holds a descriptor: take all the system allows
// (the soft limit is often 1024 while the hard one is far higher).
void raiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Cameras from ocellus.yml, and the demo camera, as the control plane lists them (read-only).
std::vector<api::cameras::FixedCamera> fixedCameras(const config::Config& c) {
  std::vector<api::cameras::FixedCamera> out;
  if (c.demo.enabled) {
    out.push_back({.id = c.demo.path, .name = "Demo camera", .source = "testpattern", .path = c.demo.path, .onDemand = false,
                   .record = c.demo.record});
  }
  for (const auto& cam : c.cameras) {
    out.push_back({.id = cam.id, .name = cam.name.empty() ? cam.id : cam.name, .source = cam.source,
                   .path = sources::SourceManager::cameraPath(cam.id), .onDemand = cam.onDemand,
                   .record = cam.record});
  }
  return out;
}

sources::SourceManager::Options sourceOptions(const config::Config& c) {
  sources::SourceManager::Options o;
  o.transports = c.rtsp.transports;
  o.reconnectMin = std::chrono::milliseconds(c.sources.reconnectMinMs);
  o.reconnectMax = std::chrono::milliseconds(c.sources.reconnectMaxMs);
  o.readTimeout = std::chrono::seconds(c.sources.readTimeoutSeconds);
  o.onDemandIdle = std::chrono::seconds(c.sources.onDemandIdleSeconds);
  return o;
}

std::string displayHost(const std::string& address) {
  auto a = io::Address::parse(address);
  if (!a || a->host.empty() || a->host == "0.0.0.0" || a->host == "::") return "127.0.0.1:" + std::to_string(a ? a->port : 0);
  return a->toString();
}

api::recordings::RecordingOptions recordingOptions(const config::Config& c, io::IoContextPool& loops) {
  api::recordings::RecordingOptions o;
  o.segmentLength = std::chrono::seconds(c.recording.segmentSeconds);
  o.fragmentLength = std::chrono::milliseconds(c.recording.fragmentMs);
  o.fsync = record::parseFsyncPolicy(c.recording.fsync).value();  // checked by the loader
  const auto& r = c.recording.retention;
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  o.retention.enabled = r.enabled;
  if (r.maxAgeDays > 0) o.retention.maxAge = std::chrono::hours(24 * r.maxAgeDays);
  for (const auto& [camera, days] : r.maxAgeDaysByCamera) o.retention.maxAgeByCamera[camera] = std::chrono::hours(24 * days);
  if (r.maxSizeGb > 0) o.retention.quotaBytes = static_cast<std::uint64_t>(r.maxSizeGb * kGiB);
  o.retention.freeFloorBytes = static_cast<std::uint64_t>(r.minFreeGb * kGiB);
  o.retention.lowSpaceWarningBytes = static_cast<std::uint64_t>(r.lowSpaceWarningGb * kGiB);
  o.retentionInterval = std::chrono::seconds(r.intervalSeconds);
  o.recorderLoop = [&loops]() -> io::IoContext& { return loops.next(); };
  return o;
}

}  // namespace

struct Application::Impl {
  Impl(config::Config c, std::string p) : config(std::move(c)), configPath(std::move(p)) {}

  config::Config config;
  std::string configPath;
  base::Logger log{"app"};
  boost::asio::io_context control;
  // Made before anything starts, so a signal during start-up waits for run() instead of
  // killing the process.
  boost::asio::signal_set signals{control, SIGINT, SIGTERM, SIGHUP};
  std::unique_ptr<io::IoContextPool> loops;
  media::StreamRegistry registry;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<auth::JwtKeys> keys;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<server::rtsp::RtspServer> rtsp;
  std::unique_ptr<server::srt::SrtServer> srt;
  std::unique_ptr<server::rtmp::RtmpServer> rtmp;
  std::unique_ptr<server::webrtc::WebRtcServer> webrtc;
  std::unique_ptr<server::hls::HlsServer> hls;
  std::atomic<server::hls::HlsServer*> hlsEvents{nullptr};  // always_remux hears of publishes
  std::unique_ptr<sources::DemoSource> demo;
  std::unique_ptr<sources::SourceManager> cameras;
  std::unique_ptr<api::ControlPlane> controlPlane;
  std::atomic<api::ControlPlane*> events{nullptr};  // media loops report here once it exists

  std::shared_ptr<const media::AccessControl> accessControl() const {
    return controlPlane->mediaAccess(std::make_shared<ConfigAccessControl>(config));
  }

  void reload() {
    auto fresh = loadConfig(configPath);
    if (!fresh) {
      log.error("reload refused, keeping the running configuration:\n{}", fresh.error().message);
      return;
    }
    config.cameras = fresh->cameras;
    config.paths = fresh->paths;
    config.auth = fresh->auth;
    const auto access = accessControl();
    rtsp->setAccessControl(access);
    rtmp->setAccessControl(access);
    srt->setAccessControl(access);
    controlPlane->setFixedCameras(fixedCameras(config));
    log.info("configuration reloaded: {} camera(s)", config.cameras.size());
  }

  // Reverse order of start; each stop is bounded so the whole takes well under 2 s. Also what a
  // start that failed half-way (a port in use) needs before the members go: what was made is
  // stopped, what was not is null, and nothing is told of events by a control plane that is gone.
  void shutdown() {
    if (shutDown) return;
    shutDown = true;
    if (controlPlane) controlPlane->stop();
    hlsEvents.store(nullptr);
    if (hls) hls->stop();
    if (demo) demo->stop();
    if (cameras) cameras->stop();
    if (rtsp) rtsp->stop();
    if (srt) srt->stop();
    if (rtmp) rtmp->stop();
    if (webrtc) webrtc->stop();
    if (loops) loops->stop();
    // What the control loop still has queued (a WebSocket's last onClose) runs now, while the
    // control plane is there and before the media loops those sessions did I/O on are gone.
    control.restart();
    control.poll();
    events.store(nullptr);
    controlPlane.reset();
    hls.reset();
  }

  ~Impl() { shutdown(); }

  bool shutDown = false;
};

base::Result<config::Config> Application::loadConfig(const std::string& path) {
  const auto env = config::processEnvironment();
  if (!path.empty()) return config::loadFromFile(path, env);
  if (std::filesystem::exists("ocellus.yml")) return config::loadFromFile("ocellus.yml", env);
  return config::loadFromString("", "(defaults)", env);
}

Application::Application(config::Config config, std::string configPath)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(configPath))) {}

Application::~Application() = default;

base::Status Application::start() {
  auto& d = *impl_;
  const auto& c = d.config;
  base::setLogLevel(c.log.level);
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  raiseOpenFileLimit();

  std::error_code ec;
  std::filesystem::create_directories(c.dataDir, ec);
  if (ec) {
    return base::makeError(base::ErrorCode::Io, "cannot create data_dir '" + c.dataDir + "': " + ec.message());
  }

  const std::size_t threads = c.threads > 0 ? static_cast<std::size_t>(c.threads)
                                            : std::max(1u, std::thread::hardware_concurrency());
  d.loops = std::make_unique<io::IoContextPool>(threads);
  d.loops->start();

  auto opened = store::sqlite::SqliteStore::open((std::filesystem::path(c.dataDir) / "ocellus.db").string());
  if (!opened) return base::makeError(opened.error().code, "store: " + opened.error().message);
  d.store = std::move(opened).value();
  auto keys = auth::JwtKeys::openInDataDir(c.dataDir);
  if (!keys) return base::makeError(keys.error().code, "JWT keys: " + keys.error().message);
  d.keys = std::move(keys).value();
  auth::AuthOptions authOptions;
  authOptions.accessTokenTtl = std::chrono::seconds(c.auth.accessTokenTtlSeconds);
  authOptions.refreshTokenTtl = std::chrono::hours(24 * c.auth.refreshTokenTtlDays);
  d.auth = std::make_unique<auth::AuthService>(*d.store, base::Clock::system(), *d.keys, authOptions);
  const char* adminPassword = std::getenv("OCELLUS_ADMIN_PASSWORD");
  auto admin = d.auth->ensureAdmin(adminPassword && *adminPassword ? std::optional<std::string>(adminPassword) : std::nullopt);
  if (!admin) return base::makeError(base::ErrorCode::Internal, "creating the admin user: " + admin.error().message);

  auto cameraOptions = sourceOptions(c);
  cameraOptions.onCameraState = [&d](const std::string& id, sources::SourceState state, const std::string& detail) {
    if (auto* cp = d.events.load()) cp->onSourceState(id, state, detail);
  };
  d.cameras = std::make_unique<sources::SourceManager>(*d.loops, d.registry, cameraOptions);
  d.registry.setDemandHandler([&d](const std::string& path) { return d.cameras->demand(path); });
  d.registry.setPublishListener([&d](const std::string& path, bool published) {
    if (auto* cp = d.events.load()) cp->onPublish(path, published);
    if (auto* hls = d.hlsEvents.load()) hls->onPublish(path, published);
  });

  if (c.demo.enabled) {
    d.demo = std::make_unique<sources::DemoSource>(
        d.registry, d.loops->next(),
        sources::DemoSource::Options{.path = c.demo.path, .width = c.demo.width, .height = c.demo.height,
                                     .fps = c.demo.fps, .bitrateKbps = c.demo.bitrateKbps});
    if (auto s = d.demo->start(); !s) {
      d.log.error("demo camera not started: {}", s.error().describe());
      d.demo.reset();
    }
  }

  const auto rtspHost = displayHost(c.rtsp.address);
  const auto httpHost = displayHost(c.http.address);
  const bool tls = !c.http.tlsCertificate.empty();
  api::ControlPlane::Options cp;
  cp.dataDir = c.dataDir;
  cp.http.address = io::Address::parse(c.http.address).value();
  cp.http.tlsCertificateFile = c.http.tlsCertificate;
  cp.http.tlsKeyFile = c.http.tlsKey;
  cp.http.corsOrigins = c.http.corsOrigins;
  cp.http.accessLog = c.http.accessLog;
  cp.http.maxConnections = static_cast<std::size_t>(c.http.maxConnections);
  // HTTP connections (and the WebSockets they become) are spread over the media loops: a
  // thousand LL-HLS players, or a notification to a thousand WebSocket clients, are then read
  // and written by every core, not one syscall after the other on the control loop, which is
  // left the handlers.
  cp.http.connectionLoop = [loops = d.loops.get()]() -> boost::asio::io_context& { return loops->next(); };
  cp.urls = {.rtsp = "rtsp://" + rtspHost, .http = (tls ? "https://" : "http://") + httpHost,
             .rtmp = "rtmp://" + displayHost(c.rtmp.address),
             .rtmps = c.rtmp.tlsCertificate.empty() ? "" : "rtmps://" + displayHost(c.rtmp.tlsAddress)};
  // RTMP: RTMPS when both TLS files are set; a rotated stream key disconnects its publisher.
  const bool rtmps = !c.rtmp.tlsCertificate.empty();
  cp.rtmp = true;
  cp.onStreamKeyRotated = [&d](const std::string& path) {
    if (d.rtmp) d.rtmp->dropKeyPublishers(path);
  };
  for (const auto& w : c.events.webhooks) cp.webhooks.push_back({.url = w.url, .secret = w.secret, .topics = w.events});
  cp.cameraOfflineDelay = std::chrono::seconds(c.events.cameraOfflineDelaySeconds);
  cp.version = kVersion;
  cp.recording = recordingOptions(c, *d.loops);
  cp.sessionCounts = [&d]() -> std::vector<std::pair<std::string, double>> {
    return {{"rtsp", static_cast<double>(d.rtsp ? d.rtsp->sessionCount() : 0)},
            {"webrtc", static_cast<double>(d.webrtc ? d.webrtc->sessionCount() : 0)},
            {"hls", static_cast<double>(d.hls ? d.hls->sessionCount() : 0)},
            {"rtmp", static_cast<double>(d.rtmp ? d.rtmp->sessionCount() : 0)}};
  };
  if (c.webrtc.enabled) {
    server::webrtc::WebRtcServer::Options webrtcOptions;
    webrtcOptions.udpAddress = io::Address::parse(c.webrtc.udpAddress).value();
    webrtcOptions.iceTcp = c.webrtc.iceTcp;
    webrtcOptions.additionalHosts = c.webrtc.additionalHosts;
    webrtcOptions.handshakeTimeout = std::chrono::seconds(c.webrtc.handshakeTimeoutSeconds);
    webrtcOptions.certificateFile = (std::filesystem::path(c.dataDir) / "webrtc.pem").string();
    d.webrtc = std::make_unique<server::webrtc::WebRtcServer>(*d.loops, d.registry, webrtcOptions);
    OCELLUS_TRY(d.webrtc->start());
    cp.webrtc = d.webrtc.get();
  }
  for (const auto& s : c.webrtc.iceServers) cp.iceServers.push_back({s.urls, s.username, s.credential});
  cp.turnSecret = c.webrtc.turnSecret;
  cp.turnCredentialTtl = std::chrono::seconds(c.webrtc.turnCredentialTtlSeconds);
  if (c.hls.enabled) {
    server::hls::HlsServer::Options hlsOptions;
    hlsOptions.session.ring = {.targetDuration = std::chrono::milliseconds(c.hls.segmentMs),
                               .partTarget = std::chrono::milliseconds(c.hls.partMs),
                               .maxSegments = static_cast<std::size_t>(c.hls.segmentsKept)};
    hlsOptions.session.startTimeout = std::chrono::seconds(c.sources.onDemandStartTimeoutSeconds);
    // A blocking reload may wait three target durations (RFC 8216bis §6.2.5.2), then 503.
    hlsOptions.session.blockTimeout = std::max(std::chrono::milliseconds(3000), 3 * std::chrono::milliseconds(c.hls.segmentMs));
    hlsOptions.session.idleTimeout = std::chrono::seconds(c.hls.idleTimeoutSeconds);
    hlsOptions.alwaysRemux = c.hls.alwaysRemux;
    d.hls = std::make_unique<server::hls::HlsServer>(d.control, d.registry, hlsOptions);
    cp.hls = d.hls.get();
    d.hlsEvents.store(d.hls.get());
    if (c.hls.alwaysRemux) {
      for (const auto& stream : d.registry.list()) d.hls->onPublish(stream->path(), true);
    }
  }
  d.controlPlane = std::make_unique<api::ControlPlane>(d.control, *d.store, *d.auth, d.registry, *d.cameras, std::move(cp));
  d.events.store(d.controlPlane.get());

  // Listeners open last, so the first client already finds the demo and the cameras.
  server::rtsp::RtspServer::Options rtspOptions;
  rtspOptions.address = io::Address::parse(c.rtsp.address).value();
  rtspOptions.udpRtpAddress = io::Address::parse(c.rtsp.udpRtpAddress).value();
  rtspOptions.udpRtcpAddress = io::Address::parse(c.rtsp.udpRtcpAddress).value();
  rtspOptions.udp = std::find(c.rtsp.transports.begin(), c.rtsp.transports.end(), "udp") != c.rtsp.transports.end();
  rtspOptions.tcp = std::find(c.rtsp.transports.begin(), c.rtsp.transports.end(), "tcp") != c.rtsp.transports.end();
  rtspOptions.sessionTimeout = std::chrono::seconds(c.rtsp.sessionTimeoutSeconds);
  rtspOptions.onDemandStartTimeout = std::chrono::seconds(c.sources.onDemandStartTimeoutSeconds);
  d.rtsp = std::make_unique<server::rtsp::RtspServer>(*d.loops, d.registry, d.accessControl(), rtspOptions);
  OCELLUS_TRY(d.rtsp->start());
  server::srt::SrtServer::Options srtOptions;
  srtOptions.address = io::Address::parse(c.srt.address).value();
  srtOptions.passphrase = c.srt.passphrase;
  srtOptions.latency = std::chrono::milliseconds(c.srt.latencyMs);
  srtOptions.onDemandStartTimeout = std::chrono::seconds(c.sources.onDemandStartTimeoutSeconds);
  d.srt = std::make_unique<server::srt::SrtServer>(*d.loops, d.registry, d.accessControl(), srtOptions);
  OCELLUS_TRY(d.srt->start());
  server::rtmp::RtmpServer::Options rtmpOptions;
  rtmpOptions.address = io::Address::parse(c.rtmp.address).value();
  if (rtmps) rtmpOptions.tlsAddress = io::Address::parse(c.rtmp.tlsAddress).value();
  rtmpOptions.tlsCertificate = c.rtmp.tlsCertificate;
  rtmpOptions.tlsKey = c.rtmp.tlsKey;
  rtmpOptions.onDemandStartTimeout = std::chrono::seconds(c.sources.onDemandStartTimeoutSeconds);
  rtmpOptions.streamKeys = d.controlPlane->streamKeyLookup();
  d.rtmp = std::make_unique<server::rtmp::RtmpServer>(*d.loops, d.registry, d.accessControl(), rtmpOptions);
  OCELLUS_TRY(d.rtmp->start());
  OCELLUS_TRY(d.controlPlane->start(fixedCameras(c)));

  std::cout << "\nOcellus " << kVersion << " is running.\n";
  std::cout << "  Dashboard:           " << (tls ? "https://" : "http://") << httpHost << "/\n";
  std::cout << "  API:                 " << (tls ? "https://" : "http://") << httpHost << "/api/v1  (JSON-RPC: "
            << (tls ? "wss://" : "ws://") << httpHost << "/ws)\n";
  if (admin->has_value() && !(adminPassword && *adminPassword)) {
    std::cout << "  Admin login:         admin / " << **admin << "   (shown once: change it, or set OCELLUS_ADMIN_PASSWORD)\n";
  }
  if (d.demo) {
    std::cout << "  Demo camera (RTSP):  rtsp://" << rtspHost << "/" << c.demo.path << "\n";
    if (d.webrtc) std::cout << "  Demo camera (WHEP):  " << (tls ? "https://" : "http://") << httpHost << "/" << c.demo.path << "/whep\n";
    if (d.hls) std::cout << "  Demo camera (HLS):   " << (tls ? "https://" : "http://") << httpHost << "/" << c.demo.path << "/index.m3u8\n";
  }
  for (const auto& cam : c.cameras) std::cout << "  Camera " << cam.id << ":  rtsp://" << rtspHost << "/cameras/" << cam.id << "\n";
  std::cout << "  Publish with:        ffmpeg -re -i FILE -c copy -f rtsp rtsp://" << rtspHost << "/mystream\n"
            << "  Publish over SRT:    ffmpeg -re -i FILE -c copy -f mpegts 'srt://" << displayHost(c.srt.address)
            << "?streamid=publish:mystream&pkt_size=1316'\n"
            << "  Publish over RTMP:   ffmpeg -re -i FILE -c:v libx264 -c:a aac -f flv rtmp://" << displayHost(c.rtmp.address)
            << "/mystream\n";
  if (rtmps) std::cout << "  RTMPS:               rtmps://" << displayHost(c.rtmp.tlsAddress) << "/mystream\n";
  std::cout << "  Data directory:      " << std::filesystem::absolute(c.dataDir).string() << "\n"
            << "  Stop with Ctrl+C.\n\n"
            << std::flush;
  return {};
}

void Application::run() {
  auto& d = *impl_;
  auto& signals = d.signals;
  std::function<void(const boost::system::error_code&, int)> onSignal = [&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      d.reload();
      signals.async_wait(onSignal);
      return;
    }
    d.log.info("signal {}: stopping", sig);
    d.control.stop();
  };
  signals.async_wait(onSignal);
  auto guard = boost::asio::make_work_guard(d.control);
  d.control.run();

  d.shutdown();
  d.log.info("stopped");
}

}  // namespace ocellus::app
