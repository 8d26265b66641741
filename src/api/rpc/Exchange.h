#pragma once

#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "api/rpc/Call.h"
#include "api/rpc/RpcError.h"
#include "base/Clock.h"

namespace ocellus::api::rpc {

// How one call ended, for the counters behind get_metrics (requests, error rate, response
// time). A frame that fails as a whole counts as one call with an empty method.
struct Completion {
  std::string_view method;  // valid during the observer call only
  int code = 0;             // 0 for a result, else the error code answered
  bool notification = false;
  std::chrono::nanoseconds elapsed{0};  // from the frame's dispatch to this answer
};

// The answers to one frame, collected until every entry has been answered; then the one
// response frame (a single response, or the array of a batch, §6) goes out through `send`,
// unless there is nothing to send (notifications only). Internal to the Dispatcher and
// Respond, which share it; it lives as long as the last Respond that refers to it.
//
// Thread-safe: entries may be answered from any thread, concurrently, each exactly once;
// `send` and `observer` run on the thread that gives the answer completing the frame (or the
// call), must not throw, and must not block (queue the frame to the connection's executor).
class Exchange {
 public:
  using Send = std::function<void(std::string frame)>;
  using Observer = std::function<void(const Completion&)>;
  using Reply = std::variant<boost::json::value, RpcError>;

  // `clock` must outlive the exchange.
  Exchange(Message message, Send send, Observer observer, const base::Clock& clock);

  std::size_t size() const { return message_.entries.size(); }
  // Stays valid as long as the exchange.
  Entry& entry(std::size_t index) { return message_.entries[index]; }

  // Answers entry `index`; false, and nothing done, when it has been answered before.
  bool complete(std::size_t index, Reply reply);

 private:
  struct Slot {
    std::atomic<bool> answered{false};
    std::optional<Id> id;  // absent for a notification: nothing to send
    std::string method;
    std::string response;  // written once, by the thread that answers
  };

  void finish();

  Message message_;
  std::unique_ptr<Slot[]> slots_;
  std::atomic<std::size_t> remaining_;
  Send send_;
  Observer observer_;
  const base::Clock& clock_;
  base::SteadyTime start_;
};

}  // namespace ocellus::api::rpc
