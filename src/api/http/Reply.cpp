#include "api/http/Reply.h"

namespace ocellus::api::http {

Reply& Reply::operator=(Reply&& other) noexcept {
  if (this != &other) {
    if (deliver_) std::exchange(deliver_, nullptr)(std::nullopt);
    deliver_ = std::exchange(other.deliver_, nullptr);
  }
  return *this;
}

Reply::~Reply() {
  if (deliver_) std::exchange(deliver_, nullptr)(std::nullopt);
}

void Reply::operator()(HttpResponse response) {
  if (deliver_) std::exchange(deliver_, nullptr)(std::move(response));
}

}  // namespace ocellus::api::http
