#include "server/hls/HlsServer.h"

#include <boost/asio/post.hpp>

namespace ocellus::server::hls {

HlsServer::HlsServer(boost::asio::io_context& control, media::StreamRegistry& registry, Options options,
                     const base::Clock& clock)
    : control_(control), registry_(registry), options_(options), clock_(clock) {}

HlsServer::~HlsServer() {
  stop();
  *alive_ = false;
}

void HlsServer::stop() {
  stopped_ = true;
  for (auto& [path, session] : sessions_) session.second->close("the server is stopping");
  sessions_.clear();
  count_ = 0;
  for (auto& [path, waiting] : starting_) {
    for (auto& w : waiting) w.second(HlsAnswer::refuse(HlsAnswer::Kind::Unavailable, "the server is stopping"));
  }
  starting_.clear();
}

std::shared_ptr<HlsSession> HlsServer::open(const std::shared_ptr<media::Stream>& stream) {
  auto options = options_.session;
  options.alwaysOn = options_.alwaysRemux;
  // Media sequence numbers above any an earlier session of this path reached (segments last at
  // least the target duration), so a player's cached seg/part URLs never name other bytes.
  const auto targetMs = std::max<std::int64_t>(1, options.ring.targetDuration.count() / 1000);
  options.ring.firstMsn = static_cast<std::uint64_t>(base::wallMillis(clock_.wallNow()) / targetMs);
  const auto path = stream->path();
  const auto id = ++nextId_;
  auto session = std::make_shared<HlsSession>(
      stream, options, clock_,
      [this, alive = std::weak_ptr<bool>(alive_), path, id, control = &control_]() {
        // Runs on the session's loop while it closes; the map lives on the control loop.
        boost::asio::post(*control, [this, alive, path, id] {
          if (alive.lock()) closed(path, id);
        });
      },
      [this, alive = std::weak_ptr<bool>(alive_), path, control = &control_](HlsRequest request, HlsDone done) {
        boost::asio::post(*control, [this, alive, path, request = std::move(request), done = std::move(done)]() mutable {
          if (!alive.lock()) return done(HlsAnswer::refuse(HlsAnswer::Kind::Unavailable, "the server is stopping"));
          serve(path, std::move(request), std::move(done));
        });
      });
  sessions_[path] = {id, session};
  count_ = sessions_.size();
  session->start();
  return session;
}

void HlsServer::closed(const std::string& path, std::uint64_t id) {
  auto it = sessions_.find(path);
  if (it == sessions_.end() || it->second.first != id) return;
  sessions_.erase(it);
  count_ = sessions_.size();
  // With always_remux a stream that is still (or again) published gets a new session at once.
  if (options_.alwaysRemux && !stopped_) {
    if (auto stream = registry_.find(path); stream && !stream->ended()) open(stream);
  }
}

void HlsServer::serve(const std::string& rawPath, HlsRequest request, HlsDone done) {
  if (stopped_) return done(HlsAnswer::refuse(HlsAnswer::Kind::Unavailable, "the server is stopping"));
  const auto path = registry_.resolve(media::StreamRegistry::normalize(rawPath));
  if (auto it = sessions_.find(path); it != sessions_.end()) {
    it->second.second->handle(std::move(request), std::move(done));
    return;
  }
  auto& waiting = starting_[path];
  waiting.emplace_back(std::move(request), std::move(done));
  if (waiting.size() > 1) return;  // whenReady is already asked
  registry_.whenReady(path, control_, options_.session.startTimeout,
                      [this, alive = std::weak_ptr<bool>(alive_), path](base::Result<std::shared_ptr<media::Stream>> stream) {
                        if (!alive.lock()) return;
                        auto node = starting_.extract(path);
                        if (node.empty()) return;
                        if (!stream) {
                          const auto kind = stream.error().code == base::ErrorCode::NotFound ? HlsAnswer::Kind::NotFound
                                                                                             : HlsAnswer::Kind::Unavailable;
                          for (auto& w : node.mapped()) w.second(HlsAnswer::refuse(kind, stream.error().message));
                          return;
                        }
                        auto it = sessions_.find(path);
                        auto session = it != sessions_.end() ? it->second.second : open(*stream);
                        for (auto& w : node.mapped()) session->handle(std::move(w.first), std::move(w.second));
                      });
}

void HlsServer::onPublish(const std::string& path, bool published) {
  if (!options_.alwaysRemux || !published) return;
  boost::asio::post(control_, [this, alive = std::weak_ptr<bool>(alive_), path] {
    if (!alive.lock() || stopped_ || sessions_.count(path)) return;
    if (auto stream = registry_.find(path)) open(stream);
  });
}

}  // namespace ocellus::server::hls
