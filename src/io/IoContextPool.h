#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ocellus::io {

using IoContext = boost::asio::io_context;

// N event loops, one io_context per thread (DESIGN §3). Every connection and Stream is
// pinned to one loop for life; crossing loops means post(). The pool owns the contexts and
// threads; contexts live until the pool is destroyed, after stop() has joined the threads.
class IoContextPool {
 public:
  // Threads are named `name` plus their index ("loop0", "snapshot1") for top -H and debuggers.
  explicit IoContextPool(std::size_t threads, std::string name = "loop");
  ~IoContextPool();
  IoContextPool(const IoContextPool&) = delete;
  IoContextPool& operator=(const IoContextPool&) = delete;

  void start();
  // Lets queued handlers finish briefly, stops every loop and joins the threads.
  void stop();

  std::size_t size() const { return contexts_.size(); }
  IoContext& at(std::size_t index) { return *contexts_[index]; }
  // Round-robin choice for a new connection.
  IoContext& next();
  // The index of the loop running on the calling thread, or size() when called elsewhere.
  std::size_t currentIndex() const;

 private:
  using Guard = boost::asio::executor_work_guard<IoContext::executor_type>;
  std::vector<std::unique_ptr<IoContext>> contexts_;
  std::vector<Guard> guards_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
  std::string name_;
};

}  // namespace ocellus::io
