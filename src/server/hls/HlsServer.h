#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/Clock.h"
#include "base/Log.h"
#include "media/StreamRegistry.h"
#include "server/hls/HlsRequest.h"
#include "server/hls/HlsSession.h"

namespace ocellus::server::hls {

// HLS and Low-Latency HLS for every published path (DESIGN §4), served from memory. The HTTP
// layer authorizes and parses a request, then hands it to serve(); this keeps one HlsSession per
// path that has players (or every published path with alwaysRemux), started by the first
// request and closed after the idle timeout.
//
// Threading: serve() is called on the HTTP connections' loops: it finds the path's session under
// a lock held for that lookup only, and the session answers on its stream's loop (HlsDone may
// be called from any thread). Starting a session, waiting for an on-demand source and stop()
// happen on the control loop; a session leaves the map on its own loop as it closes.
class HlsServer {
 public:
  struct Options {
    HlsSession::Options session;
    bool alwaysRemux = false;  // package every published stream, with or without players
  };

  HlsServer(boost::asio::io_context& control, media::StreamRegistry& registry, Options options,
            const base::Clock& clock = base::Clock::system());
  ~HlsServer();
  HlsServer(const HlsServer&) = delete;
  HlsServer& operator=(const HlsServer&) = delete;

  // Any thread. `path` as requested (an alias resolves); waits for an on-demand source.
  void serve(const std::string& path, HlsRequest request, HlsDone done);
  // Any thread: a path gained or lost its publisher (StreamRegistry's publish listener).
  void onPublish(const std::string& path, bool published);
  // Control loop (or with it stopped): closes every session.
  void stop();
  // Any thread.
  std::size_t sessionCount() const { return count_.load(std::memory_order_relaxed); }

 private:
  // Control loop: a session for a path that has none yet.
  void start(const std::string& path, HlsRequest request, HlsDone done);
  std::shared_ptr<HlsSession> open(const std::shared_ptr<media::Stream>& stream);
  // Any thread, as session `id` of `path` closes.
  void closed(const std::string& path, std::uint64_t id);
  // Any thread (always_remux): opens a session for `path` on the control loop if it is
  // published and has none.
  void remux(const std::string& path);

  boost::asio::io_context& control_;
  media::StreamRegistry& registry_;
  Options options_;
  const base::Clock& clock_;
  base::Logger log_{"hls"};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // expires with the server
  std::mutex mutex_;  // guards sessions_, nextId_ and stopped_; held for map operations only
  std::map<std::string, std::pair<std::uint64_t, std::shared_ptr<HlsSession>>> sessions_;  // path → (id, session)
  std::uint64_t nextId_ = 0;
  bool stopped_ = false;
  std::map<std::string, std::vector<std::pair<HlsRequest, HlsDone>>>
      starting_;  // control loop: awaiting whenReady
  std::atomic<std::size_t> count_{0};
};

}  // namespace ocellus::server::hls
