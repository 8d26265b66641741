#pragma once

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ocellus::server {

// The open connections of a TCP server, for shutdown and for the counts /metrics shows. A
// connection is listed by weak pointer: it lives on by its own asynchronous operations, and the
// set only reaches it. Connection needs `io::IoContext& executorContext()` (its loop) and
// `close(std::string_view reason)` (called there). Thread-safe: the lock is taken when
// connections come and on these calls, never per packet.
template <typename Connection>
class ConnectionSet {
 public:
  void add(const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex_);
    std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
    connections_.insert(connection);
  }

  std::vector<std::shared_ptr<Connection>> live() const {
    std::vector<std::shared_ptr<Connection>> out;
    std::lock_guard lock(mutex_);
    for (const auto& weak : connections_) {
      if (auto c = weak.lock()) out.push_back(std::move(c));
    }
    return out;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(connections_.begin(), connections_.end(),
                                                  [](const auto& weak) { return !weak.expired(); }));
  }

  // Closes every connection on its loop and forgets them; returns when all are closed or after
  // `wait`. Call from a thread that is not one of the connections' loops.
  void closeAll(const std::string& reason, std::chrono::milliseconds wait) {
    auto connections = live();
    {
      std::lock_guard lock(mutex_);
      connections_.clear();
    }
    std::vector<std::future<void>> done;
    for (auto& c : connections) {
      auto p = std::make_shared<std::promise<void>>();
      done.push_back(p->get_future());
      boost::asio::post(c->executorContext(), [c, p, reason] {
        c->close(reason);
        p->set_value();
      });
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (auto& f : done) f.wait_until(deadline);
  }

 private:
  mutable std::mutex mutex_;  // guards connections_
  std::set<std::weak_ptr<Connection>, std::owner_less<>> connections_;
};

}  // namespace ocellus::server
