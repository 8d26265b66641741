#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>

#include "api/rpc/RpcError.h"

namespace ocellus::api::rpc {

class Exchange;

// The answer to one call, given once: respond(result) or respond(RpcError{…}). Move-only.
//
// May be called on any thread, during the handler or after it returned (keep it, moved, in the
// asynchronous operation); the Call the handler was given stays valid until it is called.
// Calls after the first do nothing, and so does a call after the Dispatcher answered for the
// handler (it threw). For a notification it sends nothing but still counts the call done.
//
// Destroyed without having been called, it answers -32603 (a handler that forgot to answer
// must not hold up the rest of its batch) — except while an exception unwinds through it:
// then the Dispatcher answers with that exception.
class Respond {
 public:
  Respond(std::shared_ptr<Exchange> exchange, std::size_t index);
  Respond(Respond&& other) noexcept;
  Respond& operator=(Respond&& other) noexcept;
  Respond(const Respond&) = delete;
  Respond& operator=(const Respond&) = delete;
  ~Respond();

  void operator()(boost::json::value result);
  void operator()(RpcError error);

  // Whether this object still owes the answer.
  bool pending() const { return exchange_ != nullptr; }

 private:
  void abandon() noexcept;

  std::shared_ptr<Exchange> exchange_;
  std::size_t index_ = 0;
  int uncaught_ = 0;  // std::uncaught_exceptions() when made: more at destruction = unwinding
};

}  // namespace ocellus::api::rpc
