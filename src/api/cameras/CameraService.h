#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <functional>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/cameras/StreamKeys.h"
#include "api/events/EventBus.h"
#include "media/StreamRegistry.h"
#include "sources/SourceManager.h"
#include "store/Store.h"

namespace ocellus::api::cameras {

// Where clients reach the media servers, for the stream URLs the API hands out.
struct PublicUrls {
  std::string rtsp;  // "rtsp://127.0.0.1:8554"
  std::string http;  // "http://127.0.0.1:8002"
  std::string rtmp;  // "rtmp://127.0.0.1:1935"
  std::string rtmps;  // "rtmps://127.0.0.1:1936"; empty when RTMPS is off
};

// A camera defined in ocellus.yml (or the demo camera): listed by the API, never changed by it.
struct FixedCamera {
  std::string id;
  std::string name;
  std::string source;  // rtsp://…, publisher, testpattern
  std::string path;    // stream path; "cameras/<id>" except for the demo
  bool onDemand = false;
  std::string record = "off";  // continuous | off
};

// How the registry drives recording (api/recordings): which cameras record all the time, and
// whether one is recording now (for is_recording). Called on the control loop.
struct RecordingHooks {
  // Every active camera with record: continuous, id → stream path; called whenever cameras change.
  std::function<void(const std::map<std::string, std::string>& continuous)> apply;
  std::function<bool(const std::string& id)> isRecording;
};

// The camera registry of the control plane (DESIGN §6): cameras from the config file and from
// the API side by side, applied live to the SourceManager (adding an RTSP camera starts pulling
// it, deleting stops it, editing restarts only that one), and the health of each: status from
// its source's state or its path's publisher, figures from its stream. Every status change is
// published on the event bus as camera_status_update.
//
// Lives on the control loop: every method must be called there (source and registry events
// from media loops are posted to it). Errors are thrown as ApiError (api/ApiError.h).
class CameraService {
 public:
  CameraService(boost::asio::io_context& control, store::Store& store, media::StreamRegistry& registry,
                sources::SourceManager& sources, events::EventBus& bus, PublicUrls urls);
  ~CameraService();

  // Loads the stored cameras and applies them together with `fixed`. Called again (SIGHUP)
  // with a new fixed list.
  void start(std::vector<FixedCamera> fixed);
  // Before start().
  void setRecordingHooks(RecordingHooks hooks) { recording_ = std::move(hooks); }
  void setFixed(std::vector<FixedCamera> fixed);

  // What the media layer reports; both may be called from any thread.
  void onSourceState(const std::string& id, sources::SourceState state, const std::string& detail);
  void onPublish(const std::string& path, bool published);

  bool exists(const std::string& id) const;
  // The camera as the REST API shows it (API-CONTRACT §2 fields + read_only + health).
  boost::json::object toJson(const std::string& id) const;
  std::vector<std::string> ids() const;  // sorted
  // For JSON-RPC (API-CONTRACT §1): device, status, name, resolution, fps, streams.
  boost::json::object statusJson(const std::string& id) const;
  std::string status(const std::string& id) const;
  std::string pathOf(const std::string& id) const;

  // API CRUD. `body` is the request's JSON object; unknown fields are refused by name.
  boost::json::object create(const boost::json::object& body);
  boost::json::object update(const std::string& id, const boost::json::object& body);
  void remove(const std::string& id);
  // A new random RTMP stream key for an API camera; the old one is refused from now on.
  // Returns the camera as toJson() shows it.
  boost::json::object rotateStreamKey(const std::string& id);
  // The stream keys of active API cameras, for the RTMP server; safe from any thread.
  std::shared_ptr<const StreamKeys> streamKeys() const { return streamKeys_; }

 private:
  struct Health {
    sources::SourceState state = sources::SourceState::Offline;
    std::string detail;
    std::int64_t lastSeenMs = 0;  // when it was last online
  };
  struct Entry {
    std::optional<store::Camera> stored;  // from the API; else `fixed`
    FixedCamera fixed;
    Health health;
  };

  void applySources();
  void setState(const std::string& id, sources::SourceState state, const std::string& detail);
  const Entry& entry(const std::string& id) const;  // throws CAMERA_NOT_FOUND
  Entry& entry(const std::string& id);
  Entry& stored(const std::string& id);  // an API camera; throws CAMERA_READ_ONLY for the others
  std::string streamName(const Entry& e) const;
  static bool isPull(const std::string& source);
  store::Camera validated(const boost::json::object& body, store::Camera base, bool creating) const;

  boost::asio::io_context& control_;
  store::Store& store_;
  media::StreamRegistry& registry_;
  sources::SourceManager& sources_;
  events::EventBus& bus_;
  const PublicUrls urls_;
  std::map<std::string, Entry> cameras_;
  std::shared_ptr<StreamKeys> streamKeys_ = std::make_shared<StreamKeys>();
  RecordingHooks recording_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // guards posts after destruction
};

}  // namespace ocellus::api::cameras
