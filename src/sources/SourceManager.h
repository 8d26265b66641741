#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/Result.h"
#include "io/IoContextPool.h"
#include "media/StreamRegistry.h"
#include "sources/Source.h"
#include "sources/SourceState.h"

namespace ocellus::sources {

// A configured camera as the sources layer needs it.
struct CameraSpec {
  std::string id;
  std::string name;
  std::string source;  // rtsp://…, rtsps://…, udp://HOST:PORT or "publisher"
  bool onDemand = false;
  bool operator==(const CameraSpec&) const = default;
};

// Keeps one source per configured camera: publishes camera paths ("cameras/<id>", alias
// "<id>"), starts pull sources (at once, or on demand), and applies a new camera list by
// starting the new, stopping the removed and restarting only the changed ones.
// apply() and stop() run on the control thread; demand() may be called from any thread.
class SourceManager {
 public:
  struct Options {
    std::vector<std::string> transports = {"udp", "tcp"};
    std::chrono::milliseconds reconnectMin{500};
    std::chrono::milliseconds reconnectMax{30000};
    std::chrono::seconds readTimeout{10};
    std::chrono::seconds onDemandIdle{10};
    // Every state change of a pulled camera (called on the source's loop; see
    // SourceStateListener). Cameras without a pull source ("publisher") report nothing here:
    // their state follows the registry's publish events.
    std::function<void(const std::string& cameraId, SourceState state, const std::string& detail)> onCameraState;
  };

  static std::string cameraPath(const std::string& id) { return "cameras/" + id; }
  // Whether a camera may have this source: "publisher", an rtsp:// or rtsps:// URL, or
  // udp://HOST:PORT (MPEG-TS). The error says what is wrong and what is supported.
  static base::Status validateSource(std::string_view source);

  SourceManager(io::IoContextPool& loops, media::StreamRegistry& registry, Options options);
  ~SourceManager();

  void apply(const std::vector<CameraSpec>& cameras);
  // True when `path` belongs to a pulled camera, so a reader should wait for its stream; an
  // idle on-demand camera is started.
  bool demand(const std::string& path);
  void stop();

 private:
  struct Entry {
    CameraSpec spec;
    std::shared_ptr<Source> source;  // null for "publisher" cameras
  };

  SourceStateListener stateListener(const std::string& id) const;
  std::shared_ptr<Source> makeSource(const CameraSpec& spec);

  io::IoContextPool& loops_;
  media::StreamRegistry& registry_;
  Options options_;
  std::mutex mutex_;  // guards entries_: apply/stop on the control thread, demand from loops
  std::map<std::string, Entry> entries_;
};

}  // namespace ocellus::sources
