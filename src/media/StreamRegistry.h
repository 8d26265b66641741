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
#include "media/Stream.h"

namespace ocellus::media {

// Paths → Streams. One publisher per path; any number of readers. Path names are
// normalized (no leading or trailing '/'); an alias (a camera's short id) resolves to its
// canonical path ("cameras/<id>").
//
// Threading: every method is safe from any thread. The registry's lock guards only the maps
// and is taken when publishers and readers come and go, never per packet; callbacks are
// invoked outside the lock, on the loop the caller named.
class StreamRegistry {
 public:
  using DemandHandler = std::function<bool(const std::string& path)>;
  using OnReady = std::function<void(base::Result<std::shared_ptr<Stream>>)>;

  static std::string normalize(std::string_view path);

  // Registers a new stream for a publisher on `loop`. Fails with AlreadyExists while another
  // publisher holds the path.
  base::Result<std::shared_ptr<Stream>> publish(const std::string& path, io::IoContext& loop,
                                                std::vector<TrackInfo> tracks, std::string source);
  // Ends the stream and frees its path (if it still holds it).
  void unpublish(const std::shared_ptr<Stream>& stream);

  std::shared_ptr<Stream> find(const std::string& path) const;
  std::vector<std::shared_ptr<Stream>> list() const;

  // Calls `done` on `loop` with the stream once `path` is published (at once if it is), or
  // with NotFound when nothing can publish it, or Timeout. A path with an on-demand source
  // asks the demand handler to start it. `anyPublisher`: wait (up to timeout) for a publisher
  // to come even when no on-demand source serves the path (RTMP players wait like this).
  void whenReady(const std::string& path, io::IoContext& loop, std::chrono::milliseconds timeout, OnReady done,
                 bool anyPublisher = false);

  void setAlias(const std::string& alias, const std::string& canonical);
  void removeAlias(const std::string& alias);
  std::string resolve(const std::string& path) const;

  // Called (outside the lock) when a reader wants a path nobody publishes; returns true when
  // a source will start for it (on-demand cameras).
  void setDemandHandler(DemandHandler handler);

  // Called (outside the lock, on the publisher's thread) when a path gains or loses its
  // publisher; the callee must be quick and must not publish or unpublish from the call.
  using PublishListener = std::function<void(const std::string& path, bool published)>;
  void setPublishListener(PublishListener listener);

 private:
  struct Waiter;
  std::string resolveLocked(const std::string& path) const;

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Stream>> streams_;
  std::map<std::string, std::string> aliases_;
  std::multimap<std::string, std::shared_ptr<Waiter>> waiters_;
  DemandHandler demand_;
  PublishListener publishListener_;
};

}  // namespace ocellus::media
