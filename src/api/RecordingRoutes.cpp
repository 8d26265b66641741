// Recording, playback and snapshots over REST (API-CONTRACT §2; DESIGN §5): on-demand sessions,
// the recording index, the timeline, HLS VOD of any range by byte ranges, clip export, signed
// download URLs, storage usage and camera snapshots. JSON-RPC reaches the same services
// (RpcApi.cpp) and shares the JSON shapes below.

#include <boost/json.hpp>

#include "api/ControlPlaneImpl.h"
#include "api/RequestFields.h"
#include "auth/Permissions.h"

namespace ocellus::api {

namespace json = boost::json;
using http::HttpRequest;
using http::HttpResponse;
using http::Method;
using recordings::RecordingService;

namespace {

constexpr auto kSignedUrlLifetime = std::chrono::minutes(15);
constexpr std::int64_t kDefaultRangeMs = 24 * 3600 * 1000;
constexpr std::int64_t kMaxRangeMs = 31LL * 24 * 3600 * 1000;  // a month of timeline at once

std::int64_t nowMs() { return base::wallMillis(std::chrono::system_clock::now()); }

// When a signed URL made now stops working.
std::string expiresAt() {
  return isoMs(nowMs() + std::chrono::duration_cast<std::chrono::milliseconds>(kSignedUrlLifetime).count());
}

ApiError notFound(const std::string& what) {
  return ApiError{404, "RECORDING_NOT_FOUND", what, json::object{}};
}

// A time query parameter: RFC 3339, or milliseconds since the epoch.
std::optional<store::TimeMs> timeParam(const HttpRequest& r, std::string_view name) {
  const auto v = r.queryParam(name);
  if (!v || v->empty()) return std::nullopt;
  const std::string text(*v);
  if (text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 15) return std::stoll(text);
  if (auto t = parseTime(text)) return t;
  throw ApiError::validation(std::string(name), "expected an RFC 3339 time (2026-01-02T03:04:05Z) or epoch milliseconds");
}

// [from, to) of a request: `to` defaults to now, `from` to a day before `to`.
std::pair<store::TimeMs, store::TimeMs> rangeOf(const HttpRequest& r) {
  const auto to = timeParam(r, "to").value_or(nowMs());
  const auto from = timeParam(r, "from").value_or(to - kDefaultRangeMs);
  if (to <= from) throw ApiError::validation("to", "must be after from");
  if (to - from > kMaxRangeMs) throw ApiError::validation("from", "the range is longer than 31 days");
  return {from, to};
}

json::object rangeJson(store::TimeMs start, store::TimeMs end) {
  return {{"start", isoMs(start)}, {"end", isoMs(end)}, {"start_ms", start}, {"end_ms", end}};
}

}  // namespace

json::object recordingJson(const store::Recording& r) {
  const double duration = static_cast<double>(r.durationMs) / 1000.0;
  return {{"id", std::to_string(r.id)},
          {"camera", r.cameraId},
          {"filename", r.path},
          {"kind", r.kind},
          {"session_id", r.sessionId.empty() ? json::value(nullptr) : json::value(r.sessionId)},
          {"start_time", isoMs(r.startMs)},
          {"end_time", r.complete ? json::value(isoMs(r.endMs)) : json::value(nullptr)},
          {"start_ms", r.startMs},
          {"end_ms", r.endMs},
          {"duration", duration},
          {"file_size", r.sizeBytes},
          {"codecs", r.codecs},
          {"format", r.format},
          {"complete", r.complete},
          {"keep", r.keep},
          {"created_time", isoMs(r.createdAt)},
          {"modified_time", isoMs(r.endMs)},
          {"download_url", "/files/recordings/" + r.path}};
}

json::object snapshotJson(const store::Snapshot& s) {
  return {{"id", std::to_string(s.id)},
          {"camera", s.cameraId},
          {"filename", s.path},
          {"file_size", s.sizeBytes},
          {"width", s.width},
          {"height", s.height},
          {"resolution", std::to_string(s.width) + "x" + std::to_string(s.height)},
          {"created_time", isoMs(s.takenMs)},
          {"modified_time", isoMs(s.takenMs)},
          {"download_url", "/files/snapshots/" + s.path}};
}

json::object recordingSessionJson(const RecordingService::Session& s) {
  json::object o{{"device", s.camera},
                 {"camera", s.camera},
                 {"session_id", s.sessionId},
                 {"filename", s.filename},
                 {"status", s.stopped ? "STOPPED" : "STARTED"},
                 {"start_time", isoMs(s.recording ? s.recording->startMs : s.startMs)},
                 {"format", "mp4"}};
  if (s.stopped) {
    const auto end = s.recording ? s.recording->endMs : nowMs();
    o["end_time"] = isoMs(end);
    o["duration"] = s.recording ? static_cast<double>(s.recording->durationMs) / 1000.0 : 0.0;
    o["file_size"] = s.recording ? s.recording->sizeBytes : 0;
  } else {
    o["duration"] = s.durationSeconds ? json::value(*s.durationSeconds) : json::value(nullptr);
  }
  return o;
}

base::Result<json::object> ControlPlane::Impl::storageJson() {
  auto s = recordings->storage();
  if (!s) return s.error();
  auto snaps = store.snapshotStats(std::nullopt);
  if (!snaps) return snaps.error();
  const auto used = s->disk.total - s->disk.available;
  return json::object{{"total_space", s->disk.total},
                      {"used_space", used},
                      {"available_space", s->disk.available},
                      {"usage_percentage", s->disk.total ? 100.0 * static_cast<double>(used) / static_cast<double>(s->disk.total) : 0.0},
                      {"recordings_size", s->recordingsBytes},
                      {"recordings_count", s->recordingsCount},
                      {"snapshots_size", snaps->bytes},
                      {"snapshots_count", snaps->count},
                      {"low_space_warning", s->lowSpace},
                      {"retention_policy", retentionJson()}};
}

json::object ControlPlane::Impl::retentionJson() const {
  const auto setting = recordings->retentionSetting();
  const auto orNull = [](const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); };
  return json::object{{"policy_type", setting.policyType},
                      {"enabled", setting.enabled},
                      {"max_age_days", orNull(setting.maxAgeDays)},
                      {"max_size_gb", orNull(setting.maxSizeGb)}};
}

store::Recording ControlPlane::Impl::recordingOf(const auth::Identity& identity, std::int64_t id) {
  auto rec = store.recordingById(id);
  if (!rec) {
    if (rec.error().code == base::ErrorCode::NotFound) throw notFound("no recording " + std::to_string(id));
    throw ApiError::storage(rec.error());
  }
  if (!identity.canAccessCamera(rec->cameraId)) throw notFound("no recording " + std::to_string(id));
  return std::move(rec).value();
}

void ControlPlane::Impl::addRecordingRoutes(http::Router& router) {
  const std::string v1 = "/api/v1";

  // ---------------------------------------------------------------- snapshots
  router.add(Method::Get, v1 + "/cameras/:id/snapshot.jpg", [this](HttpRequest& r, http::Reply reply) {
    try {
      const auto id = require(r, auth::kSnapshotsRead);
      const std::string cam(r.param("id"));
      requireCamera(id, cam);
      const auto width = static_cast<int>(intParam(r, "width", 0, 0, snapshot::Snapshotter::kMaxWidth));
      if (width != 0 && width < snapshot::Snapshotter::kMinWidth) {
        throw ApiError::validation("width", "expected 16 to 7680 pixels");
      }
      const auto path = cameras.pathOf(cam);  // 404 before the reply is handed on
      auto shared = std::make_shared<http::Reply>(std::move(reply));
      snapshots->take(cam, path, width, [shared, requestId = r.requestId, cam](base::Result<snapshot::Jpeg> jpeg) {
        if (!jpeg) return (*shared)(errorResponse(snapshotError(jpeg.error(), cam), requestId));
        (*shared)(HttpResponse::text(200, std::string(jpeg->bytes.begin(), jpeg->bytes.end()), "image/jpeg")
                      .setHeader("Cache-Control", "no-store"));
      });
    } catch (const ApiError& e) {
      reply(errorOf(e, r));
    }
  });

  // ---------------------------------------------------------------- on-demand sessions
  router.add(Method::Post, v1 + "/cameras/:id/recording/start", [this](HttpRequest& r, http::Reply reply) {
    try {
      const auto id = require(r, auth::kRecordingsWrite);
      const std::string cam(r.param("id"));
      requireCamera(id, cam);
      const auto b = r.body.empty() ? json::object{} : body(r);
      std::optional<int> duration;
      if (const auto* v = b.if_contains("duration"); v && !v->is_null()) {
        if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > kMaxSessionSeconds) {
          throw ApiError::validation("duration", "expected whole seconds, 1 to 604800");
        }
        duration = static_cast<int>(v->as_int64());
      }
      const auto format = str(b, "format", false);
      if (!format.empty() && format != "mp4" && format != "mkv") throw ApiError::validation("format", "expected mp4 or mkv");
      if (format == "mkv") {
        throw ApiError{501, "CAPABILITY_NOT_SUPPORTED", "recordings are fragmented MP4; mkv is not supported",
                       json::object{{"field", "format"}}};
      }
      const auto path = cameras.pathOf(cam);
      auto shared = std::make_shared<http::Reply>(std::move(reply));
      recordings->startSession(cam, path, duration,
                               [shared, requestId = r.requestId, cam](base::Result<RecordingService::Session> s) {
                                 if (!s) return (*shared)(errorResponse(sessionError(s.error(), cam), requestId));
                                 (*shared)(json(201, recordingSessionJson(*s)));
                               });
    } catch (const ApiError& e) {
      reply(errorOf(e, r));
    }
  });
  router.add(Method::Post, v1 + "/cameras/:id/recording/stop", [this](HttpRequest& r, http::Reply reply) {
    try {
      const auto id = require(r, auth::kRecordingsWrite);
      const std::string cam(r.param("id"));
      requireCamera(id, cam);
      cameras.toJson(cam);  // 404 for a camera that does not exist
      auto shared = std::make_shared<http::Reply>(std::move(reply));
      recordings->stopSession(cam, [shared, requestId = r.requestId, cam](base::Result<RecordingService::Session> s) {
        if (!s) return (*shared)(errorResponse(sessionError(s.error(), cam), requestId));
        (*shared)(json(200, recordingSessionJson(*s)));
      });
    } catch (const ApiError& e) {
      reply(errorOf(e, r));
    }
  });

  // ---------------------------------------------------------------- the index
  add(router, Method::Get, v1 + "/recordings", [this](HttpRequest& r) {
    const auto id = require(r, auth::kRecordingsRead);
    store::RecordingFilter filter;
    if (auto cam = r.queryParam("camera"); cam && !cam->empty()) {
      filter.camera = std::string(*cam);
      requireCamera(id, *filter.camera);
    }
    if (auto kind = r.queryParam("kind"); kind && !kind->empty()) {
      if (*kind != "segment" && *kind != "session") throw ApiError::validation("kind", "expected segment or session");
      filter.kind = std::string(*kind);
    }
    filter.from = timeParam(r, "from");
    filter.to = timeParam(r, "to");
    filter.limit = static_cast<int>(intParam(r, "limit", 100, 1, 1000));
    filter.offset = static_cast<int>(intParam(r, "offset", 0, 0, 1 << 30));
    return json(200, listRecordings(id, filter));
  });
  // Export and playlists read (and export writes) whole files: off the control loop.
  addOffLoop(router, Method::Get, v1 + "/recordings/export", [this](HttpRequest& r) -> Sync {
    const auto id = require(r, auth::kRecordingsRead);
    const auto camParam = r.queryParam("camera");
    if (!camParam || camParam->empty()) throw ApiError::validation("camera", "is required");
    const std::string cam(*camParam);
    requireCamera(id, cam);
    cameras.toJson(cam);
    // Named values, not a structured binding: lambdas capture them (clang).
    const auto range = rangeOf(r);
    const auto from = range.first, to = range.second;
    return [this, cam, from, to](HttpRequest&) {
      auto clip = recordings->exportClip(cam, from, to);
      if (!clip) {
        if (clip.error().code == base::ErrorCode::NotFound) throw notFound(clip.error().message);
        throw ApiError{500, "RECORDING_FAILED", "the clip could not be written: " + clip.error().message, {}};
      }
      return HttpResponse::file(*clip, "video/mp4", http::attachment(cam + "-" + isoMs(from) + ".mp4"));
    };
  });
  add(router, Method::Get, v1 + "/recordings/timeline/:cameraId", [this](HttpRequest& r) {
    const auto id = require(r, auth::kRecordingsRead);
    const std::string cam(r.param("cameraId"));
    requireCamera(id, cam);
    cameras.toJson(cam);
    const auto [from, to] = rangeOf(r);
    const auto t = recordings->timeline(cam, from, to);
    json::array intervals, gaps, markers;
    for (const auto& i : t.covered) intervals.push_back(rangeJson(i.start, i.end));
    for (const auto& g : t.gaps) gaps.push_back(rangeJson(g.start, g.end));
    store::AlertFilter alerts;
    alerts.camera = cam;
    alerts.limit = 500;
    if (auto list = store.listAlerts(alerts)) {
      for (const auto& a : *list) {
        if (a.createdAt < from || a.createdAt >= to) continue;
        markers.push_back(json::object{{"timestamp", isoMs(a.createdAt)}, {"timestamp_ms", a.createdAt},
                                       {"type", "alert"}, {"label", a.type + ": " + a.message},
                                       {"severity", a.severity}, {"ref", std::to_string(a.id)}});
      }
    }
    return json(200, json::object{{"camera", cam}, {"from", isoMs(from)}, {"to", isoMs(to)},
                                  {"intervals", std::move(intervals)}, {"gaps", std::move(gaps)},
                                  {"markers", std::move(markers)}});
  });
  // HLS VOD of any range, by byte ranges of the recorded files. The files it lists carry signed
  // URLs, so a player needs a credential for the playlist only: a header, or ?signed=1 first
  // for a signed playlist URL that needs none.
  addOffLoop(router, Method::Get, v1 + "/recordings/playlist/:cameraId", [this](HttpRequest& r) -> Sync {
    const std::string cam(r.param("cameraId"));
    if (r.queryParam("sig")) {
      const auto q = r.target.find('?');
      if (auto ok = auth.verifySignedUrl(r.path, q == std::string::npos ? "" : r.target.substr(q + 1)); !ok) {
        throw fromAuth(ok.error());
      }
    } else {
      requireCamera(require(r, auth::kRecordingsRead), cam);
    }
    cameras.toJson(cam);
    const auto range = rangeOf(r);
    const auto from = range.first, to = range.second;
    if (r.queryParam("signed") == "1") {
      const auto url = options.urls.http + r.path + "?from=" + std::to_string(from) + "&to=" + std::to_string(to) +
                        "&" + auth.signUrlQuery(r.path, kSignedUrlLifetime);
      return [url](HttpRequest&) { return json(200, json::object{{"url", url}, {"expires_at", expiresAt()}}); };
    }
    return [this, cam, from, to](HttpRequest&) {
      auto text = recordings->playlist(cam, from, to, [this](const std::string& path) {
        const auto file = "/files/recordings/" + path;
        return file + "?" + auth.signUrlQuery(file, kSignedUrlLifetime);
      });
      if (!text) {
        if (text.error().code == base::ErrorCode::NotFound) throw notFound(text.error().message);
        throw ApiError::validation("to", text.error().message);
      }
      return HttpResponse::text(200, std::move(text).value(), "application/vnd.apple.mpegurl")
          .setHeader("Cache-Control", "no-store");
    };
  });
  add(router, Method::Get, v1 + "/recordings/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kRecordingsRead);
    return json(200, recordingJson(recordingOf(id, idParam(r, "RECORDING_NOT_FOUND", "recording"))));
  });
  add(router, Method::Put, v1 + "/recordings/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kRecordingsWrite);
    auto rec = recordingOf(id, idParam(r, "RECORDING_NOT_FOUND", "recording"));
    const auto b = body(r);
    for (const auto& kv : b) {
      if (kv.key() != "keep") throw ApiError::validation(std::string(kv.key()), "is not a recording field that can be set (keep)");
    }
    const auto keep = optionalBool(b, "keep");
    if (!keep) throw ApiError::validation("keep", "is required");
    rec.keep = *keep;
    auto saved = store.updateRecording(rec);
    if (!saved) throw ApiError::storage(saved.error());
    return json(200, recordingJson(*saved));
  });
  add(router, Method::Delete, v1 + "/recordings/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kRecordingsWrite);
    deleteRecording(id, recordingOf(id, idParam(r, "RECORDING_NOT_FOUND", "recording")), r.remoteIp);
    return HttpResponse::empty(204);
  });
  add(router, Method::Get, v1 + "/recordings/:id/signed-url", [this](HttpRequest& r) {
    const auto id = require(r, auth::kRecordingsRead);
    const auto rec = recordingOf(id, idParam(r, "RECORDING_NOT_FOUND", "recording"));
    const auto file = "/files/recordings/" + rec.path;
    return json(200, json::object{{"url", file + "?" + auth.signUrlQuery(file, kSignedUrlLifetime)},
                                  {"expires_at", expiresAt()}});
  });

  add(router, Method::Get, v1 + "/analytics/storage/usage", [this](HttpRequest& r) {
    require(r, auth::kSystemRead);
    auto s = storageJson();
    if (!s) throw ApiError::storage(s.error());
    return json(200, *s);
  });
}

// ------------------------------------------------------------------------------ shared with JSON-RPC

json::object ControlPlane::Impl::listRecordings(const auth::Identity& identity, store::RecordingFilter filter) {
  if (filter.from && filter.to && *filter.to <= *filter.from) throw ApiError::validation("to", "must be after from");
  auto list = store.listRecordings(filter);
  auto stats = store.recordingStats(filter);
  if (!list) throw ApiError::storage(list.error());
  if (!stats) throw ApiError::storage(stats.error());
  json::array items;
  for (const auto& rec : *list) {
    // A camera-scoped token sees its cameras' recordings only (ask with camera= for exact totals).
    if (identity.canAccessCamera(rec.cameraId)) items.push_back(recordingJson(rec));
  }
  return json::object{{"recordings", std::move(items)}, {"total", stats->count}, {"limit", filter.limit},
                      {"offset", filter.offset}};
}

void ControlPlane::Impl::deleteRecording(const auth::Identity& identity, const store::Recording& rec,
                                         const std::string& remoteIp) {
  if (auto s = recordings->remove(rec); !s) {
    if (s.error().code == base::ErrorCode::InvalidState) {
      throw ApiError{409, "RECORDING_IN_PROGRESS", s.error().message, json::object{{"filename", rec.path}}};
    }
    throw ApiError::storage(s.error());
  }
  (void)store.appendAudit({.actor = identity.auditActor(), .action = "recording_deleted", .target = rec.path,
                           .remoteIp = remoteIp, .success = true, .details = {}});
}

ApiError ControlPlane::Impl::sessionError(const base::Error& e, const std::string& camera) {
  switch (e.code) {
    case base::ErrorCode::AlreadyExists:
      return ApiError{409, "RECORDING_IN_PROGRESS", e.message, json::object{{"camera", camera}}};
    case base::ErrorCode::NotFound:
      return ApiError{409, "RECORDING_NOT_IN_PROGRESS", e.message, json::object{{"camera", camera}}};
    default:
      return ApiError{500, "RECORDING_FAILED", e.message, json::object{{"camera", camera}}};
  }
}

ApiError ControlPlane::Impl::snapshotError(const base::Error& e, const std::string& camera) {
  switch (e.code) {
    case base::ErrorCode::NotFound:
    case base::ErrorCode::Timeout:
    case base::ErrorCode::Closed:
      return ApiError{503, "STREAM_NODE_UNAVAILABLE", e.message, json::object{{"camera", camera}, {"retry_after_seconds", 1}}};
    case base::ErrorCode::InvalidArgument:
      return ApiError::validation("width", e.message);
    case base::ErrorCode::Unsupported:
      return ApiError{501, "CAPABILITY_NOT_SUPPORTED", e.message, json::object{{"camera", camera}}};
    default:
      return ApiError{500, "SNAPSHOT_FAILED", e.message, json::object{{"camera", camera}}};
  }
}

}  // namespace ocellus::api
