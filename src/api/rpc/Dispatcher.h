#pragma once

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "api/rpc/Call.h"
#include "api/rpc/Exchange.h"
#include "api/rpc/Respond.h"
#include "api/rpc/RpcError.h"
#include "base/Clock.h"
#include "base/Log.h"

namespace ocellus::api::rpc {

// The part of Dispatcher that does not depend on the context type; use Dispatcher<Context>.
class DispatcherCore {
 public:
  using Send = Exchange::Send;
  using Observer = Exchange::Observer;

  DispatcherCore(const DispatcherCore&) = delete;
  DispatcherCore& operator=(const DispatcherCore&) = delete;

  bool has(std::string_view method) const { return methods_.find(method) != methods_.end(); }
  // Told of every call's end (Exchange.h states on which thread); set before dispatching.
  void setObserver(Observer observer) { observer_ = std::move(observer); }

 protected:
  using ErasedHandler = std::function<void(Call&, void* context, Respond)>;
  using ErasedAuthorize =
      std::function<std::optional<RpcError>(void* context, const Call&, std::string_view permission)>;

  DispatcherCore(ErasedAuthorize authorize, const base::Clock& clock);
  ~DispatcherCore() = default;

  void addErased(std::string name, std::string permission, ErasedHandler handler);
  void dispatchErased(std::string_view frame, void* context, Send send) const;
  void dispatchErased(Message message, void* context, Send send) const;

 private:
  struct Method {
    std::string permission;
    ErasedHandler handler;
  };

  void logFailure(const std::string& method, const char* what) const;

  std::map<std::string, Method, std::less<>> methods_;
  ErasedAuthorize authorize_;
  Observer observer_;
  const base::Clock& clock_;
  base::Logger log_{"rpc"};
  mutable base::RateLimiter failures_;
};

// The method table of the JSON-RPC API and the one boundary where its errors are caught.
//
// For each call of a frame, in order: an invalid request object is answered -32600; an unknown
// method -32601; then the integrator's `authorize` hook decides (authentication -32001, rate
// limits -32002, roles -32003 are its business, and it sees the call to find auth_token); then
// the handler runs. A handler answers through its Respond, now or later, on any thread. What
// it throws is answered for it: an RpcError as is, anything else -32603 (logged, not sent:
// exception texts may carry internals). A batch is answered with one array once its last call
// is answered; notifications run but are never answered (§4.1, §6).
//
// `Context` is the integrator's per-connection state (a WebSocket session: its identity,
// subscriptions); the dispatcher only passes it on. It must outlive the dispatch() call;
// a handler that answers later keeps what it needs of it itself (e.g. weak_from_this()).
//
// Thread-safety: add() and setObserver() while setting up, before the first dispatch();
// dispatch() may then run concurrently for many connections. Handlers and `authorize` run
// synchronously inside dispatch(), on the caller's thread.
template <typename Context>
class Dispatcher : public DispatcherCore {
 public:
  // May capture the connection's executor to answer later; must not block the caller.
  using Handler = std::function<void(Call& call, Context& context, Respond respond)>;
  // `permission` is the one add() named for the method ("" for none). nullopt lets the call
  // through; an error is answered instead. May throw (answered like a handler's throw).
  using Authorize =
      std::function<std::optional<RpcError>(Context& context, const Call& call, std::string_view permission)>;

  // `clock` (for Completion::elapsed) must outlive every frame dispatched.
  explicit Dispatcher(Authorize authorize, const base::Clock& clock = base::Clock::system())
      : DispatcherCore(eraseAuthorize(std::move(authorize)), clock) {}

  // Adds a method; `permission` is passed to the authorize hook ("" for methods open to all,
  // such as authenticate). Throws std::invalid_argument for a duplicate name or empty handler.
  void add(std::string name, std::string permission, Handler handler) {
    if (!handler) throw std::invalid_argument("rpc method without a handler: " + name);
    addErased(std::move(name), std::move(permission),
              [handler = std::move(handler)](Call& call, void* context, Respond respond) {
                handler(call, *static_cast<Context*>(context), std::move(respond));
              });
  }

  // Parses one text frame and runs its calls. `send` receives the one response frame, at most
  // once: during this call when every handler answered synchronously, else from the thread
  // that gives the last answer; never when there is nothing to answer.
  void dispatch(std::string_view frame, Context& context, Send send) const {
    dispatchErased(frame, &context, std::move(send));
  }
  // The same for a frame parsed already (JsonRpc::parse).
  void dispatch(Message message, Context& context, Send send) const {
    dispatchErased(std::move(message), &context, std::move(send));
  }

 private:
  static ErasedAuthorize eraseAuthorize(Authorize authorize) {
    if (!authorize) throw std::invalid_argument("rpc dispatcher without an authorize hook");
    return [authorize = std::move(authorize)](void* context, const Call& call, std::string_view permission) {
      return authorize(*static_cast<Context*>(context), call, permission);
    };
  }
};

}  // namespace ocellus::api::rpc
