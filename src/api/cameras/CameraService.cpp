#include "api/cameras/CameraService.h"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include <regex>
#include <set>

#include "api/ApiError.h"
#include "api/StreamMetadata.h"
#include "base/Clock.h"
#include "base/Log.h"
#include "base/Random.h"

namespace ocellus::api::cameras {

namespace json = boost::json;
using sources::SourceState;

namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string isoTime(std::int64_t ms) {
  if (ms <= 0) return {};
  const std::time_t secs = ms / 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

[[noreturn]] void invalid(const std::string& field, const std::string& what) { throw ApiError::validation(field, what); }

std::string stringField(const json::object& body, const char* name, std::size_t maxLength, bool required,
                        const std::string& current) {
  const auto* v = body.if_contains(name);
  if (!v || v->is_null()) {
    if (required) invalid(name, "is required");
    return current;
  }
  if (!v->is_string()) invalid(name, "must be a string");
  std::string s(v->as_string());
  if (required && s.empty()) invalid(name, "must not be empty");
  if (s.size() > maxLength) invalid(name, "is longer than " + std::to_string(maxLength) + " characters");
  return s;
}

bool boolField(const json::object& body, const char* name, bool current) {
  const auto* v = body.if_contains(name);
  if (!v || v->is_null()) return current;
  if (!v->is_bool()) invalid(name, "must be true or false");
  return v->as_bool();
}

}  // namespace

CameraService::CameraService(boost::asio::io_context& control, store::Store& store, media::StreamRegistry& registry,
                             sources::SourceManager& sources, events::EventBus& bus, PublicUrls urls)
    : control_(control), store_(store), registry_(registry), sources_(sources), bus_(bus), urls_(std::move(urls)) {}

CameraService::~CameraService() { *alive_ = false; }

bool CameraService::isPull(const std::string& source) {
  return source != "publisher" && sources::SourceManager::validateSource(source).ok();
}

void CameraService::start(std::vector<FixedCamera> fixed) {
  auto stored = store_.listCameras();
  if (!stored) throw std::runtime_error("cannot read cameras from the store: " + stored.error().message);
  for (auto& c : *stored) {
    Entry e;
    e.fixed = FixedCamera{.id = c.id, .name = c.name, .source = c.source, .path = sources::SourceManager::cameraPath(c.id),
                          .onDemand = c.onDemand, .record = c.record};
    e.stored = std::move(c);
    cameras_.emplace(e.fixed.id, std::move(e));
  }
  setFixed(std::move(fixed));
}

void CameraService::setFixed(std::vector<FixedCamera> fixed) {
  std::map<std::string, Entry> next;
  for (auto& [id, e] : cameras_) {
    if (e.stored) next.emplace(id, std::move(e));
  }
  for (auto& f : fixed) {
    if (next.count(f.id)) {
      base::Logger("cameras").warn("camera '{}' is in ocellus.yml and in the store: the file's wins", f.id);
    }
    Entry e;
    if (auto old = cameras_.find(f.id); old != cameras_.end()) e.health = old->second.health;
    e.fixed = std::move(f);
    next[e.fixed.id] = std::move(e);
  }
  cameras_ = std::move(next);
  applySources();
  // A camera whose stream already runs (the demo, a publisher that came first) is online now.
  for (auto& [id, e] : cameras_) {
    if (!isPull(e.fixed.source) && registry_.find(e.fixed.path)) setState(id, SourceState::Online, {});
  }
}

void CameraService::applySources() {
  std::vector<sources::CameraSpec> specs;
  std::map<std::string, std::string, std::less<>> keys;
  std::map<std::string, std::string> continuous;
  for (const auto& [id, e] : cameras_) {
    if (e.stored && e.stored->isActive && !e.stored->streamKey.empty()) keys[e.stored->streamKey] = e.fixed.path;
    if (e.fixed.record == "continuous" && (!e.stored || e.stored->isActive)) continuous[id] = e.fixed.path;
    if (e.fixed.source == "testpattern") continue;  // the demo runs by itself
    if (e.stored && !e.stored->isActive) continue;
    specs.push_back({.id = id, .name = e.fixed.name, .source = e.fixed.source, .onDemand = e.fixed.onDemand});
  }
  sources_.apply(specs);
  streamKeys_->replace(std::move(keys));
  if (recording_.apply) recording_.apply(continuous);
}

void CameraService::onSourceState(const std::string& id, SourceState state, const std::string& detail) {
  boost::asio::post(control_, [this, alive = std::weak_ptr<bool>(alive_), id, state, detail] {
    if (auto a = alive.lock(); a && *a) setState(id, state, detail);
  });
}

void CameraService::onPublish(const std::string& path, bool published) {
  boost::asio::post(control_, [this, alive = std::weak_ptr<bool>(alive_), path, published] {
    auto a = alive.lock();
    if (!a || !*a) return;
    for (const auto& [id, e] : cameras_) {
      if (e.fixed.path == path && !isPull(e.fixed.source)) {
        setState(id, published ? SourceState::Online : SourceState::Offline, {});
      }
    }
  });
}

void CameraService::setState(const std::string& id, SourceState state, const std::string& detail) {
  auto it = cameras_.find(id);
  if (it == cameras_.end()) return;
  auto& h = it->second.health;
  if (state == SourceState::Online) h.lastSeenMs = nowMs();
  if (h.state == state && h.detail == detail) return;
  if (h.state == SourceState::Online && state != SourceState::Online) h.lastSeenMs = nowMs();
  h.state = state;
  h.detail = detail;
  bus_.publish(events::Event{.topic = events::kCameraStatus, .method = "camera_status_update",
                             .params = statusJson(id), .camera = id});
}

CameraService::Entry& CameraService::entry(const std::string& id) {
  return const_cast<Entry&>(std::as_const(*this).entry(id));
}

const CameraService::Entry& CameraService::entry(const std::string& id) const {
  auto it = cameras_.find(id);
  if (it == cameras_.end()) {
    throw ApiError{404, "CAMERA_NOT_FOUND", "no camera with id '" + id + "'", json::object{{"id", id}}};
  }
  return it->second;
}

CameraService::Entry& CameraService::stored(const std::string& id) {
  auto& e = entry(id);
  if (!e.stored) {
    throw ApiError{403, "CAMERA_READ_ONLY",
                   "camera '" + id + "' is defined in ocellus.yml and is read-only through the API",
                   json::object{{"id", id}, {"read_only", true}}};
  }
  return e;
}

bool CameraService::exists(const std::string& id) const { return cameras_.count(id) > 0; }

std::vector<std::string> CameraService::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, e] : cameras_) out.push_back(id);
  return out;
}

std::string CameraService::pathOf(const std::string& id) const { return entry(id).fixed.path; }

std::string CameraService::status(const std::string& id) const {
  return std::string(sources::sourceStateName(entry(id).health.state));
}

json::object CameraService::statusJson(const std::string& id) const {
  const auto& e = entry(id);
  json::object o;
  o["device"] = id;
  o["status"] = sources::sourceStateName(e.health.state);
  o["name"] = e.fixed.name;
  std::string resolution;
  double fps = 0;
  if (auto stream = registry_.find(e.fixed.path)) {
    for (const auto& t : stream->tracks()) {
      if (t.isVideo() && t.width > 0) {
        resolution = std::to_string(t.width) + "x" + std::to_string(t.height);
        fps = t.fps;
        break;
      }
    }
    if (fps <= 0) fps = stream->stats().fps;
  }
  o["resolution"] = resolution;
  o["fps"] = fps;
  o["streams"] = json::object{{"rtsp", urls_.rtsp + "/" + e.fixed.path},
                              {"webrtc", urls_.http + "/" + e.fixed.path + "/whep"},
                              {"hls", urls_.http + "/" + e.fixed.path + "/index.m3u8"}};
  return o;
}

json::object CameraService::toJson(const std::string& id) const {
  const auto& e = entry(id);
  json::object o;
  const store::Camera* s = e.stored ? &*e.stored : nullptr;
  o["id"] = id;
  o["name"] = e.fixed.name;
  o["company"] = s ? s->company : "";
  o["model"] = s ? s->model : "";
  o["serial_number"] = s && s->serialNumber ? json::value(*s->serialNumber) : json::value(nullptr);
  o["location"] = s ? s->location : "";
  o["place"] = s ? s->place : "";
  o["source"] = e.fixed.source;
  o["rtmp_url"] = s && !s->streamKey.empty() ? urls_.rtmp + "/live/" + s->streamKey : "";
  o["is_active"] = s ? s->isActive : true;
  o["is_recording"] = recording_.isRecording && recording_.isRecording(id);
  o["record"] = e.fixed.record;
  o["stream_status"] = sources::sourceStateName(e.health.state);
  o["on_demand"] = e.fixed.onDemand;
  o["created_at"] = s ? json::value(isoTime(s->createdAt)) : json::value(nullptr);
  o["updated_at"] = s ? json::value(isoTime(s->updatedAt)) : json::value(nullptr);
  o["read_only"] = s == nullptr;
  o["path"] = e.fixed.path;

  json::object health;
  health["status"] = sources::sourceStateName(e.health.state);
  if (!e.health.detail.empty()) health["error"] = e.health.detail;
  media::StreamStats st;
  const auto stream = registry_.find(e.fixed.path);
  if (stream) st = stream->stats();
  o["metadata"] = streamMetadataJson(stream.get());
  health["fps"] = st.fps;
  health["bitrate_kbps"] = st.bitrateKbps;
  health["dropped_frames"] = st.droppedUnits;
  health["readers"] = st.readers;
  health["bytes_in"] = st.bytesIn;
  health["bytes_out"] = st.bytesOut;
  health["last_seen"] = e.health.state == SourceState::Online ? json::value(isoTime(nowMs()))
                        : e.health.lastSeenMs ? json::value(isoTime(e.health.lastSeenMs))
                                              : json::value(nullptr);
  health["uptime_seconds"] = st.uptimeSeconds;
  o["health"] = std::move(health);
  return o;
}

store::Camera CameraService::validated(const json::object& body, store::Camera c, bool creating) const {
  static const std::set<std::string> known = {"id", "name", "company", "model", "serial_number", "location", "place",
                                              "source", "on_demand", "is_active", "record"};
  for (const auto& kv : body) {
    if (!known.count(std::string(kv.key()))) {
      invalid(std::string(kv.key()), creating || kv.key() != "id" ? "is not a camera field that can be set"
                                                                   : "cannot be changed");
    }
  }
  if (creating) {
    c.id = stringField(body, "id", 64, false, "");
    if (c.id.empty()) c.id = "cam-" + base::randomHex(8);
    static const std::regex idPattern("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
    if (!std::regex_match(c.id, idPattern)) invalid("id", "use letters, digits, '_', '.', '-' (up to 64)");
  } else if (body.contains("id") && !(body.at("id").is_string() && body.at("id").as_string() == c.id)) {
    invalid("id", "cannot be changed");
  }
  c.name = stringField(body, "name", 128, creating, c.name);
  if (c.name.empty()) invalid("name", "must not be empty");
  c.company = stringField(body, "company", 128, false, c.company);
  c.model = stringField(body, "model", 128, false, c.model);
  c.location = stringField(body, "location", 256, false, c.location);
  c.place = stringField(body, "place", 256, false, c.place);
  c.source = stringField(body, "source", 2048, creating, c.source);
  if (auto valid = sources::SourceManager::validateSource(c.source); !valid) invalid("source", valid.error().message);
  if (const auto* v = body.if_contains("serial_number")) {
    if (v->is_null()) {
      c.serialNumber.reset();
    } else {
      if (!v->is_string()) invalid("serial_number", "must be a string");
      std::string serial(v->as_string());
      if (serial.size() > 128) invalid("serial_number", "is longer than 128 characters");
      c.serialNumber = serial.empty() ? std::nullopt : std::optional<std::string>(serial);
    }
  }
  c.onDemand = boolField(body, "on_demand", c.onDemand);
  c.isActive = boolField(body, "is_active", c.isActive);
  c.record = stringField(body, "record", 16, false, c.record);
  if (c.record != "continuous" && c.record != "off") invalid("record", "'" + c.record + "' is not continuous or off");
  return c;
}

namespace {

[[noreturn]] void storeFailed(const base::Error& e, const std::string& id) {
  if (e.code == base::ErrorCode::AlreadyExists) {
    if (e.message.find("serial") != std::string::npos) {
      throw ApiError{400, "CAMERA_SERIAL_DUPLICATE", "serial_number is already used by another camera",
                     json::object{{"field", "serial_number"}}};
    }
    throw ApiError::validation("id", "a camera '" + id + "' already exists");
  }
  if (e.code == base::ErrorCode::NotFound) {
    throw ApiError{404, "CAMERA_NOT_FOUND", "no camera with id '" + id + "'", json::object{{"id", id}}};
  }
  throw ApiError::storage(e);
}

}  // namespace

json::object CameraService::create(const json::object& body) {
  auto c = validated(body, store::Camera{}, true);
  if (cameras_.count(c.id)) {
    invalid("id", "a camera '" + c.id + "' already exists");
  }
  c.streamKey = base::randomHex(16);
  auto created = store_.createCamera(c);
  if (!created) storeFailed(created.error(), c.id);
  Entry e;
  e.fixed = FixedCamera{.id = created->id, .name = created->name, .source = created->source,
                        .path = sources::SourceManager::cameraPath(created->id), .onDemand = created->onDemand,
                        .record = created->record};
  e.stored = std::move(created).value();
  const auto id = e.fixed.id;
  cameras_.emplace(id, std::move(e));
  applySources();
  if (!isPull(cameras_.at(id).fixed.source) && registry_.find(cameras_.at(id).fixed.path)) {
    setState(id, SourceState::Online, {});
  }
  return toJson(id);
}

json::object CameraService::update(const std::string& id, const json::object& body) {
  auto& e = stored(id);
  auto c = validated(body, *e.stored, false);
  auto updated = store_.updateCamera(c);
  if (!updated) storeFailed(updated.error(), id);
  e.stored = std::move(updated).value();
  e.fixed.name = e.stored->name;
  e.fixed.source = e.stored->source;
  e.fixed.onDemand = e.stored->onDemand;
  e.fixed.record = e.stored->record;
  applySources();
  return toJson(id);
}

json::object CameraService::rotateStreamKey(const std::string& id) {
  auto& e = stored(id);
  auto c = *e.stored;
  c.streamKey = base::randomHex(16);
  auto updated = store_.updateCamera(c);
  if (!updated) storeFailed(updated.error(), id);
  e.stored = std::move(updated).value();
  applySources();
  return toJson(id);
}

void CameraService::remove(const std::string& id) {
  stored(id);
  if (auto s = store_.deleteCamera(id); !s) storeFailed(s.error(), id);
  cameras_.erase(id);
  applySources();
}

}  // namespace ocellus::api::cameras
