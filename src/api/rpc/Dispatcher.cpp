#include "api/rpc/Dispatcher.h"

#include <exception>
#include <memory>
#include <variant>

#include "api/rpc/JsonRpc.h"

namespace ocellus::api::rpc {

namespace {

// Names the method when it is short enough to be worth echoing.
RpcError methodNotFound(const std::string& method) {
  constexpr std::size_t kMaxEchoedName = 64;
  if (method.size() > kMaxEchoedName) return RpcError(kMethodNotFound);
  return RpcError(kMethodNotFound, "Method not found: " + method);
}

}  // namespace

DispatcherCore::DispatcherCore(ErasedAuthorize authorize, const base::Clock& clock)
    : authorize_(std::move(authorize)), clock_(clock) {}

void DispatcherCore::addErased(std::string name, std::string permission, ErasedHandler handler) {
  if (methods_.contains(name)) throw std::invalid_argument("rpc method added twice: " + name);
  methods_.emplace(std::move(name), Method{std::move(permission), std::move(handler)});
}

void DispatcherCore::dispatchErased(std::string_view frame, void* context, Send send) const {
  std::variant<Message, RpcError> parsed = JsonRpc::parse(frame);
  if (const auto* error = std::get_if<RpcError>(&parsed)) {
    // §5.1, §6: a frame that fails as a whole gets one error response with id null.
    if (observer_) observer_(Completion{{}, error->code, false, {}});
    if (send) send(JsonRpc::error(Id(), *error));
    return;
  }
  dispatchErased(std::move(std::get<Message>(parsed)), context, std::move(send));
}

void DispatcherCore::dispatchErased(Message message, void* context, Send send) const {
  if (message.entries.empty()) return;
  auto exchange = std::make_shared<Exchange>(std::move(message), std::move(send), observer_, clock_);
  for (std::size_t i = 0; i < exchange->size(); ++i) {
    Entry& entry = exchange->entry(i);
    if (auto* invalid = std::get_if<InvalidCall>(&entry)) {
      exchange->complete(i, invalid->error);
      continue;
    }
    Call& call = std::get<Call>(entry);
    const auto method = methods_.find(call.method);
    if (method == methods_.end()) {
      exchange->complete(i, methodNotFound(call.method));
      continue;
    }
    // The one boundary of the control plane's exceptions (STYLE §3).
    try {
      if (std::optional<RpcError> refusal = authorize_(context, call, method->second.permission)) {
        exchange->complete(i, std::move(*refusal));
        continue;
      }
      method->second.handler(call, context, Respond(exchange, i));
    } catch (const RpcError& error) {
      exchange->complete(i, error);
    } catch (const std::exception& e) {
      logFailure(call.method, e.what());
      exchange->complete(i, RpcError(kInternalError));
    } catch (...) {
      logFailure(call.method, "unknown exception");
      exchange->complete(i, RpcError(kInternalError));
    }
  }
}

void DispatcherCore::logFailure(const std::string& method, const char* what) const {
  if (const std::uint64_t count = failures_.allow()) {
    log_.error("method {} failed: {} ({} failure(s) since the last report)", method, what, count);
  }
}

}  // namespace ocellus::api::rpc
