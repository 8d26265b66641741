// JSON-RPC 2.0 over WebSocket at /ws (API-CONTRACT §1; docs/api/json-rpc.md).

#include <boost/json.hpp>

#include <set>
#include <unistd.h>

#include "api/ControlPlaneImpl.h"
#include "api/RequestFields.h"
#include "api/StreamMetadata.h"
#include "api/rpc/Dispatcher.h"
#include "api/rpc/ErrorCodes.h"
#include "api/rpc/JsonRpc.h"
#include "api/rpc/Params.h"
#include "auth/Permissions.h"
#include "base/Metrics.h"
#include "base/Random.h"

namespace ocellus::api {

namespace json = boost::json;
using rpc::RpcError;

namespace {

// One WebSocket connection's state. Lives on the control loop.
struct Session {
  std::shared_ptr<http::WsConnection> ws;
  std::optional<auth::Identity> identity;
  std::string id;
  std::set<std::string> topics;
};

struct RpcState {
  explicit RpcState(rpc::Dispatcher<Session>::Authorize authorize) : dispatcher(std::move(authorize)) {}
  rpc::Dispatcher<Session> dispatcher;
  std::map<std::string, std::shared_ptr<Session>> sessions;  // by session id
};

const std::set<std::string> kTopics = {events::kCameraStatus, events::kRecordingStatus, events::kAlerts};

RpcError rpcError(const auth::AuthError& e) {
  json::object data{{"reason", e.reason()}};
  if (e.retryAfterSeconds > 0) data["retry_after_seconds"] = e.retryAfterSeconds;
  return RpcError(e.jsonRpcCode(), e.message, json::value(std::move(data)));
}

// An error of the REST helpers as JSON-RPC reports it (API-CONTRACT §1 codes).
RpcError rpcOf(const ApiError& e) {
  int code = rpc::kInternalError;
  if (e.code == "CAMERA_NOT_FOUND") code = rpc::kCameraNotFound;
  else if (e.code == "RECORDING_IN_PROGRESS") code = rpc::kRecordingInProgress;
  else if (e.code == "STORAGE_FULL") code = rpc::kInsufficientStorage;
  else if (e.code == "STREAM_NODE_UNAVAILABLE") code = rpc::kCameraNotFound;  // "not found or disconnected"
  else if (e.status == 501) code = rpc::kCapabilityNotSupported;
  else if (e.status == 400 || e.status == 404 || e.status == 409) code = rpc::kInvalidParams;
  else if (e.status == 401) code = rpc::kAuthenticationFailed;
  else if (e.status == 403) code = rpc::kInsufficientPermissions;
  else if (e.status == 429) code = rpc::kRateLimitExceeded;
  else if (e.status == 503) code = rpc::kMediaBackendUnavailable;
  return RpcError(code, e.message, json::value(json::object{{"reason", e.code}}));
}

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void ControlPlane::Impl::addRpc(http::Router& router) {
  auto& latency = base::Metrics::global().histogram("ocellus_jsonrpc_call_duration_seconds",
                                                    "JSON-RPC calls, from the frame's arrival to the answer");
  auto state = std::make_shared<RpcState>([this](Session& s, const rpc::Call& call, std::string_view permission)
                                              -> std::optional<RpcError> {
    if (permission.empty()) return std::nullopt;
    if (call.params.is_object()) {
      if (const auto* token = call.params.as_object().if_contains("auth_token"); token && token->is_string()) {
        auto identity = auth.authenticate(token->as_string());
        if (!identity) return rpcError(identity.error());
        s.identity = std::move(identity).value();
      }
    }
    if (!s.identity) return RpcError(rpc::kAuthenticationFailed, "call authenticate first (or pass auth_token)");
    if (s.identity->expiresAt && *s.identity->expiresAt <= nowMs()) {
      s.identity.reset();
      return RpcError(rpc::kAuthenticationFailed, "the token has expired: authenticate again");
    }
    if (const auto decision = auth.checkRateLimit(*s.identity); !decision.allowed) {
      onRateLimited(*s.identity);
      return RpcError(rpc::kRateLimitExceeded, "this API token is over its rate limit",
                      json::value(json::object{{"retry_after_seconds", decision.retryAfterSeconds()}}));
    }
    if (!s.identity->can(permission)) {
      return RpcError(rpc::kInsufficientPermissions, "this needs the permission '" + std::string(permission) +
                                                          "', which role '" + s.identity->role + "' does not have");
    }
    return std::nullopt;
  });
  state->dispatcher.setObserver([&latency](const rpc::Completion& c) {
    latency.record(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(c.elapsed).count()));
  });
  auto& d = state->dispatcher;
  using rpc::Call;
  using rpc::Respond;

  auto device = [this](Call& call, Session& s) {
    const auto name = rpc::Params(call.params).string("device");
    // USB cameras are also named by their device path (/dev/videoN ↔ cameraN).
    std::string id = name;
    if (name.rfind("/dev/video", 0) == 0) id = "camera" + name.substr(10);
    if (!cameras.exists(id)) throw RpcError(rpc::kCameraNotFound, "no camera '" + name + "'");
    if (!s.identity->canAccessCamera(id)) {
      throw RpcError(rpc::kInsufficientPermissions, "this API token is not scoped to camera '" + id + "'");
    }
    return id;
  };

  d.add("authenticate", "", [this](Call& call, Session& s, Respond respond) {
    const auto token = rpc::Params(call.params).string("auth_token");
    auto identity = auth.authenticate(token);
    if (!identity) {
      s.identity.reset();
      return respond(rpcError(identity.error()));
    }
    s.identity = std::move(identity).value();
    json::array permissions;
    for (const auto& p : s.identity->permissions) permissions.emplace_back(p);
    respond(json::object{{"authenticated", true},
                         {"role", s.identity->role},
                         {"permissions", std::move(permissions)},
                         {"expires_at", s.identity->expiresAt ? json::value(isoMs(*s.identity->expiresAt)) : json::value(nullptr)},
                         {"session_id", s.id}});
  });
  d.add("ping", std::string(auth::kCamerasRead), [](Call&, Session&, Respond respond) { respond(json::value("pong")); });
  d.add("get_camera_list", std::string(auth::kCamerasRead), [this](Call&, Session& s, Respond respond) {
    json::array list;
    std::size_t connected = 0;
    for (const auto& id : cameras.ids()) {
      if (!s.identity->canAccessCamera(id)) continue;
      auto c = cameras.statusJson(id);
      if (c.at("status") == "online") ++connected;
      list.push_back(std::move(c));
    }
    const auto total = list.size();
    respond(json::object{{"cameras", std::move(list)}, {"total", total}, {"connected", connected}});
  });
  d.add("get_camera_status", std::string(auth::kCamerasRead), [this, device](Call& call, Session& s, Respond respond) {
    const auto id = device(call, s);
    auto out = cameras.statusJson(id);
    const auto health = cameras.toJson(id).at("health").as_object();
    out["metrics"] = json::object{{"bytes_sent", health.at("bytes_out")},
                                  {"readers", health.at("readers")},
                                  {"uptime", health.at("uptime_seconds")}};
    const auto resolution = out.at("resolution").as_string();
    out["capabilities"] = json::object{{"formats", json::array{"h264"}},
                                       {"resolutions", resolution.empty() ? json::array{} : json::array{resolution}}};
    respond(std::move(out));
  });
  d.add("get_camera_capabilities", std::string(auth::kCamerasRead), [this, device](Call& call, Session& s, Respond respond) {
    const auto id = device(call, s);
    const auto st = cameras.statusJson(id);
    const auto& resolution = st.at("resolution").as_string();
    respond(json::object{{"device", id},
                         {"formats", json::array{"h264"}},
                         {"resolutions", resolution.empty() ? json::array{} : json::array{resolution}},
                         {"frame_rates", json::object{{"h264", json::array{st.at("fps")}}}}});
  });
  // --- recording and snapshots (RecordingRoutes.cpp holds what REST shares)
  // A row the caller may see, by its file name; -32602 when there is none.
  auto recordingNamed = [this](Session& s, const std::string& filename) {
    auto rec = store.recordingByPath(filename);
    if (!rec || !s.identity->canAccessCamera(rec->cameraId)) {
      throw RpcError(rpc::kInvalidParams, "params.filename: no recording named '" + filename + "'");
    }
    return std::move(rec).value();
  };
  auto snapshotNamed = [this](Session& s, const std::string& filename) {
    auto snap = store.snapshotByPath(filename);
    if (!snap || !s.identity->canAccessCamera(snap->cameraId)) {
      throw RpcError(rpc::kInvalidParams, "params.filename: no snapshot named '" + filename + "'");
    }
    return std::move(snap).value();
  };
  d.add("take_snapshot", std::string(auth::kSnapshotsWrite), [this, device](Call& call, Session& s, Respond respond) {
    const auto id = device(call, s);
    const auto filename = rpc::Params(call.params).optionalString("filename");
    if (filename) {
      if (auto ok = recordings::SnapshotService::checkName(*filename); !ok) {
        throw RpcError(rpc::kInvalidParams, "params.filename: " + ok.error().message);
      }
    }
    auto shared = std::make_shared<Respond>(std::move(respond));
    snapshots->save(id, cameras.pathOf(id), filename, [this, shared, id](base::Result<store::Snapshot> saved) {
      if (!saved) {
        if (saved.error().code == base::ErrorCode::AlreadyExists) {
          return (*shared)(RpcError(rpc::kInvalidParams, "params.filename: " + saved.error().message));
        }
        return (*shared)(rpcOf(snapshotError(saved.error(), id)));
      }
      auto out = snapshotJson(*saved);
      out["device"] = id;
      out["status"] = "SUCCESS";
      out["timestamp"] = isoMs(saved->takenMs);
      out["file_path"] = snapshots->root() + "/" + saved->path;
      (*shared)(std::move(out));
    });
  });
  d.add("list_snapshots", std::string(auth::kSnapshotsRead), [this, device](Call& call, Session& s, Respond respond) {
    const rpc::Params p(call.params);
    std::optional<std::string> camera;
    if (p.has("device")) camera = device(call, s);
    const auto limit = static_cast<int>(p.optionalInteger("limit", 1, 1000).value_or(100));
    const auto offset = static_cast<int>(p.optionalInteger("offset", 0, 1 << 30).value_or(0));
    auto list = store.listSnapshots(camera, limit, offset);
    auto stats = store.snapshotStats(camera);
    if (!list || !stats) throw RpcError(rpc::kInternalError, "the snapshot index cannot be read");
    json::array files;
    for (const auto& snap : *list) {
      if (s.identity->canAccessCamera(snap.cameraId)) files.push_back(snapshotJson(snap));
    }
    respond(json::object{{"files", std::move(files)}, {"total", stats->count}, {"limit", limit}, {"offset", offset}});
  });
  d.add("get_snapshot_info", std::string(auth::kSnapshotsRead), [snapshotNamed](Call& call, Session& s, Respond respond) {
    respond(snapshotJson(snapshotNamed(s, rpc::Params(call.params).string("filename"))));
  });
  d.add("delete_snapshot", std::string(auth::kSnapshotsWrite), [this, snapshotNamed](Call& call, Session& s, Respond respond) {
    const auto snap = snapshotNamed(s, rpc::Params(call.params).string("filename"));
    if (auto ok = snapshots->remove(snap); !ok) throw RpcError(rpc::kInternalError, ok.error().message);
    respond(json::object{{"filename", snap.path}, {"deleted", true}, {"message", "snapshot deleted"}});
  });
  d.add("start_recording", std::string(auth::kRecordingsWrite), [this, device](Call& call, Session& s, Respond respond) {
    const auto id = device(call, s);
    const rpc::Params p(call.params);
    const auto duration = p.optionalInteger("duration", 1, kMaxSessionSeconds);
    if (p.optionalOneOf("format", {"mp4", "mkv"}).value_or("mp4") == "mkv") {
      throw RpcError(rpc::kCapabilityNotSupported, "recordings are fragmented MP4; mkv is not supported");
    }
    auto shared = std::make_shared<Respond>(std::move(respond));
    recordings->startSession(id, cameras.pathOf(id), duration ? std::optional<int>(static_cast<int>(*duration)) : std::nullopt,
                             [shared, id](base::Result<recordings::RecordingService::Session> session) {
                               if (!session) return (*shared)(rpcOf(sessionError(session.error(), id)));
                               (*shared)(recordingSessionJson(*session));
                             });
  });
  d.add("stop_recording", std::string(auth::kRecordingsWrite), [this, device](Call& call, Session& s, Respond respond) {
    const auto id = device(call, s);
    auto shared = std::make_shared<Respond>(std::move(respond));
    recordings->stopSession(id, [shared, id](base::Result<recordings::RecordingService::Session> session) {
      if (!session) return (*shared)(rpcOf(sessionError(session.error(), id)));
      (*shared)(recordingSessionJson(*session));
    });
  });
  d.add("list_recordings", std::string(auth::kRecordingsRead), [this, device](Call& call, Session& s, Respond respond) {
    const rpc::Params p(call.params);
    store::RecordingFilter filter;
    if (p.has("device")) filter.camera = device(call, s);
    filter.limit = static_cast<int>(p.optionalInteger("limit", 1, 1000).value_or(100));
    filter.offset = static_cast<int>(p.optionalInteger("offset", 0, 1 << 30).value_or(0));
    for (const char* bound : {"from", "to"}) {
      if (auto text = p.optionalString(bound)) {
        const auto t = parseTime(*text);
        if (!t) throw RpcError(rpc::kInvalidParams, std::string("params.") + bound + ": expected an RFC 3339 time");
        (std::string_view(bound) == "from" ? filter.from : filter.to) = t;
      }
    }
    try {
      auto list = listRecordings(*s.identity, filter);
      list["files"] = std::move(list["recordings"]);
      list.erase("recordings");
      respond(std::move(list));
    } catch (const ApiError& e) {
      respond(rpcOf(e));
    }
  });
  d.add("get_recording_info", std::string(auth::kRecordingsRead), [recordingNamed](Call& call, Session& s, Respond respond) {
    respond(recordingJson(recordingNamed(s, rpc::Params(call.params).string("filename"))));
  });
  d.add("delete_recording", std::string(auth::kRecordingsWrite), [this, recordingNamed](Call& call, Session& s, Respond respond) {
    const auto rec = recordingNamed(s, rpc::Params(call.params).string("filename"));
    try {
      deleteRecording(*s.identity, rec, "");
    } catch (const ApiError& e) {
      return respond(rpcOf(e));
    }
    respond(json::object{{"filename", rec.path}, {"deleted", true}, {"message", "recording deleted"}});
  });
  d.add("get_storage_info", std::string(auth::kSystemRead), [this](Call&, Session&, Respond respond) {
    auto info = storageJson();
    if (!info) return respond(RpcError(rpc::kInternalError, "storage usage cannot be read: " + info.error().message));
    respond(std::move(info).value());
  });
  d.add("set_retention_policy", std::string(auth::kSystemWrite), [this](Call& call, Session&, Respond respond) {
    const rpc::Params p(call.params);
    recordings::RetentionSetting setting;
    setting.policyType = p.oneOf("policy_type", {"age", "size", "manual"});
    setting.enabled = p.boolean("enabled");
    setting.maxAgeDays = p.optionalNumber("max_age_days");
    setting.maxSizeGb = p.optionalNumber("max_size_gb");
    if (setting.maxAgeDays && !(*setting.maxAgeDays > 0 && *setting.maxAgeDays <= 36500)) {
      throw RpcError(rpc::kInvalidParams, "params.max_age_days: expected days, more than 0 and up to 36500");
    }
    if (setting.maxSizeGb && !(*setting.maxSizeGb > 0 && *setting.maxSizeGb <= 1e6)) {
      throw RpcError(rpc::kInvalidParams, "params.max_size_gb: expected gigabytes, more than 0");
    }
    if (setting.policyType == "age" && !setting.maxAgeDays) {
      throw RpcError(rpc::kInvalidParams, "params.max_age_days: policy_type age needs it");
    }
    if (setting.policyType == "size" && !setting.maxSizeGb) {
      throw RpcError(rpc::kInvalidParams, "params.max_size_gb: policy_type size needs it");
    }
    if (auto ok = recordings->setRetention(setting); !ok) throw RpcError(rpc::kInternalError, ok.error().message);
    respond(retentionJson());
  });
  d.add("cleanup_old_files", std::string(auth::kSystemWrite), [this](Call&, Session&, Respond respond) {
    auto shared = std::make_shared<Respond>(std::move(respond));
    recordings->cleanup([shared](base::Result<record::RetentionReport> report) {
      if (!report) return (*shared)(RpcError(rpc::kInternalError, "cleanup failed: " + report.error().message));
      (*shared)(json::object{{"cleanup_executed", true},
                             {"files_deleted", report->filesDeleted},
                             {"space_freed", report->bytesFreed},
                             {"low_space_warning", report->lowSpace},
                             {"errors", json::array(report->errors.begin(), report->errors.end())}});
    });
  });
  d.add("get_streams", std::string(auth::kStreamsRead), [this](Call&, Session&, Respond respond) {
    json::array list;
    for (const auto& stream : registry.list()) {
      const auto st = stream->stats();
      list.push_back(json::object{{"name", stream->path()},
                                  {"source", stream->source()},
                                  {"ready", true},
                                  {"readers", st.readers},
                                  {"bytes_sent", st.bytesOut},
                                  {"metadata", streamMetadataJson(stream.get())}});
    }
    respond(std::move(list));
  });
  // A raw pointer: the dispatcher lives in the state, so a shared one would keep it alive forever.
  d.add("get_metrics", std::string(auth::kSystemRead), [this, rpcState = state.get()](Call&, Session&, Respond respond) {
    auto& m = base::Metrics::global();
    std::uint64_t requests = 0, errors = 0;
    m.forEach([&](const std::string& name, const std::string&, std::uint64_t v) {
      if (name.rfind("ocellus_http_requests_", 0) == 0) {
        requests += v;
        if (name.find("_4xx") != std::string::npos || name.find("_5xx") != std::string::npos) errors += v;
      }
    });
    const auto& h = server->latency();
    const auto count = h.count();
    long rssKb = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
      long pages = 0, resident = 0;
      if (std::fscanf(f, "%ld %ld", &pages, &resident) == 2) rssKb = resident * (sysconf(_SC_PAGESIZE) / 1024);
      std::fclose(f);
    }
    double cpu = 0;
    if (FILE* f = std::fopen("/proc/self/stat", "r")) {
      unsigned long utime = 0, stime = 0;
      if (std::fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) == 2) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - startedAt).count();
        cpu = seconds > 0 ? 100.0 * static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK)) / seconds : 0;
      }
      std::fclose(f);
    }
    respond(json::object{{"active_connections", server->connectionCount()},
                         {"websocket_sessions", rpcState->sessions.size()},
                         {"total_requests", requests},
                         {"average_response_time", count ? static_cast<double>(h.sumMicros()) / static_cast<double>(count) / 1000.0 : 0.0},
                         {"error_rate", requests ? static_cast<double>(errors) / static_cast<double>(requests) : 0.0},
                         {"memory_usage", rssKb * 1024},
                         {"cpu_usage", cpu}});
  });
  d.add("get_status", std::string(auth::kSystemRead), [this](Call&, Session&, Respond respond) {
    const bool storeOk = store.ping().ok();
    respond(json::object{{"status", storeOk ? "healthy" : "degraded"},
                         {"uptime", std::chrono::duration<double>(std::chrono::steady_clock::now() - startedAt).count()},
                         {"version", options.version},
                         {"components", json::object{{"store", storeOk ? "running" : "error"},
                                                     {"http", "running"},
                                                     {"media", "running"},
                                                     {"streams", registry.list().size()}}}});
  });
  d.add("get_server_info", std::string(auth::kSystemRead), [this](Call&, Session&, Respond respond) {
    respond(json::object{{"name", "Ocellus"},
                         {"version", options.version},
                         {"capabilities", json::array{"rtsp", "rtsp_publish", "rtsp_pull", "rtmp", "srt", "webrtc", "hls", "recording",
                                                     "playback", "export", "snapshot", "jsonrpc", "rest"}},
                         {"supported_formats", json::array{"h264", "h265", "vp8", "vp9", "av1", "aac", "opus", "g711"}},
                         {"max_cameras", 1000}});
  });
  auto subscription = [](bool subscribe) {
    return [subscribe](Call& call, Session& s, Respond respond) {
      const auto topics = rpc::Params(call.params).strings("topics");
      for (const auto& t : topics) {
        if (!kTopics.count(t)) {
          throw RpcError(rpc::kInvalidParams, "params.topics: unknown topic '" + t +
                                                  "' (camera_status, recording_status, alerts)");
        }
      }
      for (const auto& t : topics) {
        if (subscribe) s.topics.insert(t);
        else s.topics.erase(t);
      }
      respond(json::object{{"subscribed", json::array(s.topics.begin(), s.topics.end())}});
    };
  };
  d.add("subscribe_events", std::string(auth::kEventsSubscribe), subscription(true));
  d.add("unsubscribe_events", std::string(auth::kEventsSubscribe), subscription(false));

  // Notifications: serialized once per event, queued on every subscribed connection (its send
  // queue is bounded: a client that does not read is disconnected, see WsConnection::send).
  bus.subscribe([state](const events::Event& e) {
    std::shared_ptr<const std::string> frame;  // one string shared by every subscriber's queue
    for (const auto& [id, s] : state->sessions) {
      if (!s->topics.count(e.topic) || !s->identity) continue;
      if (!e.camera.empty() && !s->identity->canAccessCamera(e.camera)) continue;
      if (!frame) frame = std::make_shared<const std::string>(rpc::JsonRpc::notification(e.method, e.params));
      s->ws->send(frame);
    }
  });

  router.addWebSocket("/ws", [state](std::shared_ptr<http::WsConnection> ws, const http::HttpRequest&) {
    auto session = std::make_shared<Session>();
    session->ws = ws;
    session->id = "ws-" + base::randomHex(16);
    state->sessions[session->id] = session;
    std::weak_ptr<Session> weak = session;
    ws->onMessage([state, weak](std::string_view frame) {
      auto s = weak.lock();
      if (!s) return;
      state->dispatcher.dispatch(frame, *s, [ws = std::weak_ptr<http::WsConnection>(s->ws)](std::string answer) {
        if (auto c = ws.lock()) c->send(std::move(answer));
      });
    });
    ws->onClose([state, id = session->id](std::uint16_t, std::string_view) { state->sessions.erase(id); });
  });
  rpc = state;
}

}  // namespace ocellus::api
