#include "media/StreamRegistry.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace ocellus::media {

struct StreamRegistry::Waiter {
  Waiter(io::IoContext& l, OnReady d) : loop(l), timer(l), done(std::move(d)) {}
  io::IoContext& loop;
  boost::asio::steady_timer timer;
  OnReady done;
  bool fired = false;  // on loop only

  static void fire(const std::shared_ptr<Waiter>& w, base::Result<std::shared_ptr<Stream>> result) {
    boost::asio::post(w->loop, [w, result = std::move(result)]() mutable {
      if (w->fired) return;
      w->fired = true;
      w->timer.cancel();
      w->done(std::move(result));
    });
  }
};

std::string StreamRegistry::normalize(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

std::string StreamRegistry::resolveLocked(const std::string& path) const {
  auto n = normalize(path);
  auto it = aliases_.find(n);
  return it == aliases_.end() ? n : it->second;
}

std::string StreamRegistry::resolve(const std::string& path) const {
  std::lock_guard lock(mutex_);
  return resolveLocked(path);
}

base::Result<std::shared_ptr<Stream>> StreamRegistry::publish(const std::string& path, io::IoContext& loop,
                                                              std::vector<TrackInfo> tracks, std::string source) {
  std::vector<std::shared_ptr<Waiter>> ready;
  std::shared_ptr<Stream> stream;
  PublishListener listener;
  {
    std::lock_guard lock(mutex_);
    const auto name = resolveLocked(path);
    if (name.empty()) return base::makeError(base::ErrorCode::InvalidArgument, "empty path");
    if (auto it = streams_.find(name); it != streams_.end() && !it->second->ended()) {
      return base::makeError(base::ErrorCode::AlreadyExists,
                             "path '" + name + "' already has a publisher (" + it->second->source() + ")");
    }
    stream = std::make_shared<Stream>(name, loop, std::move(tracks), std::move(source));
    streams_[name] = stream;
    auto [b, e] = waiters_.equal_range(name);
    for (auto it = b; it != e; ++it) ready.push_back(it->second);
    waiters_.erase(b, e);
    listener = publishListener_;
  }
  for (auto& w : ready) Waiter::fire(w, stream);
  if (listener) listener(stream->path(), true);
  return stream;
}

void StreamRegistry::unpublish(const std::shared_ptr<Stream>& stream) {
  if (!stream) return;
  PublishListener listener;
  {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(stream->path());
    if (it != streams_.end() && it->second == stream) {
      streams_.erase(it);
      listener = publishListener_;
    }
  }
  boost::asio::post(stream->loop(), [stream] { stream->end(); });
  if (listener) listener(stream->path(), false);
}

std::shared_ptr<Stream> StreamRegistry::find(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(resolveLocked(path));
  if (it == streams_.end() || it->second->ended()) return nullptr;
  return it->second;
}

std::vector<std::shared_ptr<Stream>> StreamRegistry::list() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Stream>> out;
  for (const auto& [name, s] : streams_) {
    if (!s->ended()) out.push_back(s);
  }
  return out;
}

void StreamRegistry::whenReady(const std::string& path, io::IoContext& loop, std::chrono::milliseconds timeout,
                               OnReady done, bool anyPublisher) {
  auto waiter = std::make_shared<Waiter>(loop, std::move(done));
  std::string name;
  DemandHandler demand;
  {
    std::lock_guard lock(mutex_);
    name = resolveLocked(path);
    if (auto it = streams_.find(name); it != streams_.end() && !it->second->ended()) {
      Waiter::fire(waiter, it->second);
      return;
    }
    demand = demand_;
  }
  const bool demanded = demand && demand(name);
  if (!demanded && !anyPublisher) {
    Waiter::fire(waiter, base::makeError(base::ErrorCode::NotFound, "no stream is published on path '" + name + "'"));
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (auto it = streams_.find(name); it != streams_.end() && !it->second->ended()) {
      Waiter::fire(waiter, it->second);
      return;
    }
    waiters_.emplace(name, waiter);
  }
  boost::asio::post(loop, [this, waiter, name, timeout] {
    waiter->timer.expires_after(timeout);
    waiter->timer.async_wait([this, waiter, name](const boost::system::error_code& ec) {
      if (ec || waiter->fired) return;
      {
        std::lock_guard lock(mutex_);
        auto [b, e] = waiters_.equal_range(name);
        for (auto it = b; it != e; ++it) {
          if (it->second == waiter) {
            waiters_.erase(it);
            break;
          }
        }
      }
      waiter->fired = true;
      waiter->done(base::makeError(base::ErrorCode::Timeout, "the source of path '" + name + "' did not start in time"));
    });
  });
}

void StreamRegistry::setAlias(const std::string& alias, const std::string& canonical) {
  std::lock_guard lock(mutex_);
  aliases_[normalize(alias)] = normalize(canonical);
}

void StreamRegistry::removeAlias(const std::string& alias) {
  std::lock_guard lock(mutex_);
  aliases_.erase(normalize(alias));
}

void StreamRegistry::setDemandHandler(DemandHandler handler) {
  std::lock_guard lock(mutex_);
  demand_ = std::move(handler);
}

void StreamRegistry::setPublishListener(PublishListener listener) {
  std::lock_guard lock(mutex_);
  publishListener_ = std::move(listener);
}

}  // namespace ocellus::media
