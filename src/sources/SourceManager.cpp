#include "sources/SourceManager.h"

#include "base/Log.h"
#include "sources/rtsp/RtspSource.h"
#include "sources/udp/UdpTsSource.h"

namespace ocellus::sources {

SourceManager::SourceManager(io::IoContextPool& loops, media::StreamRegistry& registry, Options options)
    : loops_(loops), registry_(registry), options_(std::move(options)) {}

SourceManager::~SourceManager() { stop(); }

base::Status SourceManager::validateSource(std::string_view source) {
  if (source == "publisher") return {};
  if (source.rfind("udp://", 0) == 0) return udp::UdpTsSource::validate(source);
  if ((source.rfind("rtsp://", 0) == 0 && source.size() > 7) || (source.rfind("rtsps://", 0) == 0 && source.size() > 8)) {
    return {};
  }
  return base::makeError(base::ErrorCode::InvalidArgument,
                         "'" + std::string(source) + "' is not a supported source (rtsp://…, rtsps://…, udp://HOST:PORT or publisher)");
}

void SourceManager::apply(const std::vector<CameraSpec>& cameras) {
  const base::Logger log("cameras");
  std::vector<std::shared_ptr<Source>> toStop;
  std::vector<std::shared_ptr<Source>> toStart;
  {
    std::lock_guard lock(mutex_);
    std::map<std::string, Entry> next;
    for (const auto& spec : cameras) {
      auto old = entries_.find(spec.id);
      if (old != entries_.end() && old->second.spec == spec) {
        next.emplace(spec.id, std::move(old->second));  // unchanged: its stream and readers stay
        entries_.erase(old);
        continue;
      }
      Entry entry{spec, nullptr};
      registry_.setAlias(spec.id, cameraPath(spec.id));
      if (spec.source != "publisher") {
        entry.source = makeSource(spec);
        toStart.push_back(entry.source);
      }
      log.info("camera '{}' {}: {}{}", spec.id, entries_.count(spec.id) ? "changed" : "added", spec.source,
               spec.onDemand ? " (on demand)" : "");
      next.emplace(spec.id, std::move(entry));
    }
    for (auto& [id, entry] : entries_) {  // what is left was removed or replaced
      if (!next.count(id)) {
        registry_.removeAlias(id);
        log.info("camera '{}' removed", id);
      }
      if (entry.source) toStop.push_back(entry.source);
    }
    entries_ = std::move(next);
  }
  for (auto& s : toStop) s->stop();
  for (auto& s : toStart) s->start();
}

std::shared_ptr<Source> SourceManager::makeSource(const CameraSpec& spec) {
  if (spec.source.rfind("udp://", 0) == 0) {
    return udp::UdpTsSource::create(loops_.next(), registry_,
                                    udp::UdpTsSource::Options{.path = cameraPath(spec.id),
                                                              .url = spec.source,
                                                              .readTimeout = options_.readTimeout,
                                                              .onState = stateListener(spec.id)});
  }
  return rtsp::RtspSource::create(loops_.next(), registry_,
                                  rtsp::RtspSource::Options{.path = cameraPath(spec.id),
                                                            .url = spec.source,
                                                            .transports = options_.transports,
                                                            .reconnectMin = options_.reconnectMin,
                                                            .reconnectMax = options_.reconnectMax,
                                                            .readTimeout = options_.readTimeout,
                                                            .onDemand = spec.onDemand,
                                                            .onDemandIdle = options_.onDemandIdle,
                                                            .onState = stateListener(spec.id)});
}

SourceStateListener SourceManager::stateListener(const std::string& id) const {
  if (!options_.onCameraState) return {};
  return [report = options_.onCameraState, id](SourceState state, const std::string& detail) { report(id, state, detail); };
}

bool SourceManager::demand(const std::string& path) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, entry] : entries_) {
    if (cameraPath(id) == path && entry.source) {
      // A running camera that is still connecting (or reconnecting) is worth waiting for too.
      if (entry.spec.onDemand) entry.source->demand();
      return true;
    }
  }
  return false;
}

void SourceManager::stop() {
  std::map<std::string, Entry> entries;
  {
    std::lock_guard lock(mutex_);
    entries.swap(entries_);
  }
  for (auto& [id, entry] : entries) {
    if (entry.source) entry.source->stop();
  }
}

}  // namespace ocellus::sources
