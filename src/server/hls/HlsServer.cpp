#include "server/hls/HlsServer.h"

#include <boost/asio/post.hpp>

namespace ocellus::server::hls {

namespace {

HlsAnswer stopping() {
  return HlsAnswer::refuse(HlsAnswer::Kind::Unavailable, "the server is stopping");
}

}  // namespace

HlsServer::HlsServer(boost::asio::io_context& control, media::StreamRegistry& registry, Options options,
                     const base::Clock& clock)
    : control_(control), registry_(registry), options_(options), clock_(clock) {}

HlsServer::~HlsServer() {
  stop();
  *alive_ = false;
}

void HlsServer::stop() {
  decltype(sessions_) sessions;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    sessions.swap(sessions_);
    count_ = 0;
  }
  for (auto& [path, session] : sessions) session.second->close("the server is stopping");
  for (auto& [path, waiting] : starting_) {
    for (auto& w : waiting) w.second(stopping());
  }
  starting_.clear();
}

std::shared_ptr<HlsSession> HlsServer::open(const std::shared_ptr<media::Stream>& stream) {
  auto options = options_.session;
  options.alwaysOn = options_.alwaysRemux;
  // Media sequence numbers and part numbers above any an earlier session of this path reached
  // (segments last at least the target duration, a part at least a millisecond: one frame), so a
  // player's cached seg/part URLs never name other bytes.
  const auto wallMs = base::wallMillis(clock_.wallNow());
  const auto targetMs = std::max<std::int64_t>(1, options.ring.targetDuration.count() / 1000);
  options.ring.firstMsn = static_cast<std::uint64_t>(wallMs / targetMs);
  options.ring.firstPart = static_cast<std::uint64_t>(wallMs);
  const auto path = stream->path();
  std::lock_guard lock(mutex_);
  const auto id = ++nextId_;
  auto session = std::make_shared<HlsSession>(
      stream, options, clock_,
      [this, alive = std::weak_ptr<bool>(alive_), path, id] {
        if (alive.lock()) closed(path, id);
      },
      [this, alive = std::weak_ptr<bool>(alive_), path](HlsRequest request, HlsDone done) {
        if (!alive.lock()) return done(stopping());
        serve(path, std::move(request), std::move(done));
      });
  sessions_[path] = {id, session};
  count_ = sessions_.size();
  session->start();
  return session;
}

void HlsServer::closed(const std::string& path, std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(path);
  if (it == sessions_.end() || it->second.first != id) return;
  sessions_.erase(it);
  count_ = sessions_.size();
  if (options_.alwaysRemux && !stopped_) remux(path);
}

void HlsServer::remux(const std::string& path) {
  // With always_remux a stream that is (still, or again) published gets a session at once.
  boost::asio::post(control_, [this, alive = std::weak_ptr<bool>(alive_), path] {
    if (!alive.lock()) return;
    {
      std::lock_guard lock(mutex_);
      if (stopped_ || sessions_.count(path)) return;
    }
    if (auto stream = registry_.find(path); stream && !stream->ended()) open(stream);
  });
}

void HlsServer::serve(const std::string& rawPath, HlsRequest request, HlsDone done) {
  const auto path = registry_.resolve(media::StreamRegistry::normalize(rawPath));
  std::shared_ptr<HlsSession> session;
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return done(stopping());
    if (auto it = sessions_.find(path); it != sessions_.end()) session = it->second.second;
  }
  if (session) return session->handle(std::move(request), std::move(done));
  boost::asio::post(control_, [this, alive = std::weak_ptr<bool>(alive_), path, request = std::move(request),
                               done = std::move(done)]() mutable {
    if (!alive.lock()) return done(stopping());
    start(path, std::move(request), std::move(done));
  });
}

void HlsServer::start(const std::string& path, HlsRequest request, HlsDone done) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return done(stopping());
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
                        std::shared_ptr<HlsSession> session;
                        {
                          std::lock_guard lock(mutex_);
                          if (auto it = sessions_.find(path); it != sessions_.end())
                            session = it->second.second;
                        }
                        if (!session) session = open(*stream);
                        for (auto& w : node.mapped()) session->handle(std::move(w.first), std::move(w.second));
                      });
}

void HlsServer::onPublish(const std::string& path, bool published) {
  if (options_.alwaysRemux && published) remux(path);
}

}  // namespace ocellus::server::hls
