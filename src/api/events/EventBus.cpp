#include "api/events/EventBus.h"

#include <vector>

namespace ocellus::api::events {

EventBus::Id EventBus::subscribe(Subscriber subscriber) {
  const auto id = next_++;
  subscribers_.emplace(id, std::move(subscriber));
  return id;
}

void EventBus::unsubscribe(Id id) { subscribers_.erase(id); }

void EventBus::publish(const Event& event) {
  // A subscriber may unsubscribe (itself or others) while being called: walk a copy of the ids.
  std::vector<Id> ids;
  ids.reserve(subscribers_.size());
  for (const auto& [id, s] : subscribers_) ids.push_back(id);
  for (const auto id : ids) {
    auto it = subscribers_.find(id);
    if (it != subscribers_.end()) it->second(event);
  }
}

}  // namespace ocellus::api::events
