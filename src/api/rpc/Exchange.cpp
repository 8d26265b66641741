#include "api/rpc/Exchange.h"

#include <utility>
#include <vector>

#include "api/rpc/JsonRpc.h"

namespace ocellus::api::rpc {

Exchange::Exchange(Message message, Send send, Observer observer, const base::Clock& clock)
    : message_(std::move(message)),
      slots_(std::make_unique<Slot[]>(message_.entries.size())),
      remaining_(message_.entries.size()),
      send_(std::move(send)),
      observer_(std::move(observer)),
      clock_(clock),
      start_(clock.now()) {
  for (std::size_t i = 0; i < message_.entries.size(); ++i) {
    if (const auto* call = std::get_if<Call>(&message_.entries[i])) {
      slots_[i].id = call->id;
      slots_[i].method = call->method;
    } else {
      slots_[i].id = std::get<InvalidCall>(message_.entries[i]).id;  // §5: always answered
    }
  }
}

bool Exchange::complete(std::size_t index, Reply reply) {
  Slot& slot = slots_[index];
  if (slot.answered.exchange(true, std::memory_order_acq_rel)) return false;
  const auto* error = std::get_if<RpcError>(&reply);
  // §4.1: a notification is never answered, whatever happened to it.
  if (slot.id) {
    slot.response = error ? JsonRpc::error(*slot.id, *error)
                          : JsonRpc::result(*slot.id, std::get<boost::json::value>(reply));
  }
  if (observer_) {
    observer_(Completion{slot.method, error ? error->code : 0, !slot.id.has_value(), clock_.now() - start_});
  }
  // acq_rel: the last one to answer sees every other slot's response.
  if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) finish();
  return true;
}

void Exchange::finish() {
  const std::size_t n = message_.entries.size();
  std::string frame;
  if (!message_.batch) {
    frame = std::move(slots_[0].response);
  } else {
    // §6: the responses in one array, in any order (here: the requests' order), none at all
    // when every call was a notification.
    std::vector<std::string> responses;
    responses.reserve(n);
    for (std::size_t i = 0; i < n; ++i) responses.push_back(std::move(slots_[i].response));
    frame = JsonRpc::batch(responses);
  }
  Send send = std::move(send_);
  send_ = nullptr;
  if (!frame.empty() && send) send(std::move(frame));
}

}  // namespace ocellus::api::rpc
