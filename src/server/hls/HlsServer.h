#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <map>
#include <memory>
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
// Threading: serve(), stop() and the session map live on the control loop; each session runs
// on its stream's loop and answers there (HlsDone may be called from any thread).
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

  // Control loop. `path` as requested (an alias resolves); waits for an on-demand source.
  void serve(const std::string& path, HlsRequest request, HlsDone done);
  // Any thread: a path gained or lost its publisher (StreamRegistry's publish listener).
  void onPublish(const std::string& path, bool published);
  // Control loop: closes every session.
  void stop();
  // Any thread.
  std::size_t sessionCount() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<HlsSession> open(const std::shared_ptr<media::Stream>& stream);
  void closed(const std::string& path, std::uint64_t id);

  boost::asio::io_context& control_;
  media::StreamRegistry& registry_;
  Options options_;
  const base::Clock& clock_;
  base::Logger log_{"hls"};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // control loop only
  std::map<std::string, std::pair<std::uint64_t, std::shared_ptr<HlsSession>>> sessions_;  // path → (id, session)
  std::uint64_t nextId_ = 0;
  std::map<std::string, std::vector<std::pair<HlsRequest, HlsDone>>> starting_;  // awaiting whenReady
  std::atomic<std::size_t> count_{0};
  bool stopped_ = false;
};

}  // namespace ocellus::server::hls
