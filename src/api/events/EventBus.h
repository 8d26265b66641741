#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <boost/json/value.hpp>

namespace ocellus::api::events {

// Topics of the internal event bus; JSON-RPC clients subscribe to them by these names.
inline constexpr const char* kCameraStatus = "camera_status";        // camera_status_update
inline constexpr const char* kRecordingStatus = "recording_status";  // recording_status_update
inline constexpr const char* kAlerts = "alerts";                     // alert

struct Event {
  std::string topic;         // one of the topics above
  std::string method;        // the JSON-RPC notification name: camera_status_update, alert, …
  boost::json::value params; // the notification's params (API-CONTRACT §1)
  std::string camera;        // camera id it concerns, or empty (for camera-scoped tokens)
};

// The one internal event bus (DESIGN §6): producers publish, the JSON-RPC notifier, the
// webhook sender and the alert manager subscribe. Lives on the control loop: publish() and
// subscribe() must be called there, and subscribers are called synchronously on it, so a
// subscriber must not block (queue and send later) and may unsubscribe itself during the call.
class EventBus {
 public:
  using Subscriber = std::function<void(const Event&)>;
  using Id = std::uint64_t;

  Id subscribe(Subscriber subscriber);
  void unsubscribe(Id id);
  void publish(const Event& event);

 private:
  Id next_ = 1;
  std::map<Id, Subscriber> subscribers_;
};

}  // namespace ocellus::api::events
