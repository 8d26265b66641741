#include "io/IoContextPool.h"

#include <pthread.h>

#include <string>

namespace ocellus::io {
namespace {
thread_local const IoContextPool* tlsPool = nullptr;
thread_local std::size_t tlsIndex = 0;
}  // namespace

IoContextPool::IoContextPool(std::size_t threads, std::string name) : name_(std::move(name)) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) {
    contexts_.push_back(std::make_unique<IoContext>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

IoContextPool::~IoContextPool() { stop(); }

void IoContextPool::start() {
  for (std::size_t i = 0; i < contexts_.size(); ++i) {
    threads_.emplace_back([this, i] {
      tlsPool = this;
      tlsIndex = i;
      const std::string name = name_ + std::to_string(i);
      pthread_setname_np(pthread_self(), name.c_str());
      contexts_[i]->run();
    });
  }
}

void IoContextPool::stop() {
  for (auto& g : guards_) g.reset();
  for (auto& c : contexts_) c->stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

IoContext& IoContextPool::next() { return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()]; }

std::size_t IoContextPool::currentIndex() const { return tlsPool == this ? tlsIndex : contexts_.size(); }

}  // namespace ocellus::io
