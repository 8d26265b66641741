#include "api/rpc/Respond.h"

#include <exception>
#include <utility>

#include "api/rpc/Exchange.h"

namespace ocellus::api::rpc {

Respond::Respond(std::shared_ptr<Exchange> exchange, std::size_t index)
    : exchange_(std::move(exchange)), index_(index), uncaught_(std::uncaught_exceptions()) {}

Respond::Respond(Respond&& other) noexcept
    : exchange_(std::move(other.exchange_)), index_(other.index_), uncaught_(std::uncaught_exceptions()) {}

Respond& Respond::operator=(Respond&& other) noexcept {
  if (this != &other) {
    abandon();
    exchange_ = std::move(other.exchange_);
    index_ = other.index_;
    uncaught_ = std::uncaught_exceptions();
  }
  return *this;
}

Respond::~Respond() {
  abandon();
}

void Respond::operator()(boost::json::value result) {
  if (auto exchange = std::move(exchange_)) exchange->complete(index_, std::move(result));
}

void Respond::operator()(RpcError error) {
  if (auto exchange = std::move(exchange_)) exchange->complete(index_, std::move(error));
}

void Respond::abandon() noexcept {
  auto exchange = std::move(exchange_);
  if (!exchange || std::uncaught_exceptions() > uncaught_) return;
  exchange->complete(index_, RpcError(kInternalError, "Internal error: the method gave no answer"));
}

}  // namespace ocellus::api::rpc
