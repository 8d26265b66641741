#include "api/events/EventBus.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ocellus::api::events {
namespace {

Event event(std::string topic, std::string method) {
  Event e;
  e.topic = std::move(topic);
  e.method = std::move(method);
  e.params = boost::json::object{{"n", 1}};
  e.camera = "cam1";
  return e;
}

TEST(EventBusTest, SubscribersReceiveEveryEventUntilUnsubscribed) {
  EventBus bus;
  std::vector<std::string> a;
  std::vector<std::string> b;
  const auto ida = bus.subscribe([&](const Event& e) { a.push_back(e.method); });
  const auto idb =
      bus.subscribe([&](const Event& e) { b.push_back(e.method + "@" + e.topic + "/" + e.camera); });
  EXPECT_NE(ida, idb);

  bus.publish(event(kAlerts, "alert"));
  bus.publish(event(kCameraStatus, "camera_status_update"));
  EXPECT_EQ(a, (std::vector<std::string>{"alert", "camera_status_update"}));
  EXPECT_EQ(b, (std::vector<std::string>{"alert@alerts/cam1", "camera_status_update@camera_status/cam1"}));

  bus.unsubscribe(ida);
  bus.publish(event(kRecordingStatus, "recording_status_update"));
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(b.size(), 3u);

  bus.unsubscribe(idb);
  bus.unsubscribe(idb);    // twice: harmless
  bus.unsubscribe(12345);  // unknown: harmless
  bus.publish(event(kAlerts, "alert"));
  EXPECT_EQ(b.size(), 3u);
}

TEST(EventBusTest, PublishWithoutSubscribersDoesNothing) {
  EventBus bus;
  bus.publish(event(kAlerts, "alert"));
  int calls = 0;
  bus.subscribe([&](const Event&) { ++calls; });
  bus.publish(event(kAlerts, "alert"));
  EXPECT_EQ(calls, 1);
}

TEST(EventBusTest, SubscriberMayUnsubscribeItselfDuringPublish) {
  EventBus bus;
  int once = 0;
  int always = 0;
  EventBus::Id self = 0;
  self = bus.subscribe([&](const Event&) {
    ++once;
    bus.unsubscribe(self);
  });
  bus.subscribe([&](const Event&) { ++always; });

  bus.publish(event(kAlerts, "alert"));
  bus.publish(event(kAlerts, "alert"));
  EXPECT_EQ(once, 1);
  EXPECT_EQ(always, 2);  // the one after it was still called during the first publish
}

TEST(EventBusTest, SubscriberUnsubscribedByAnEarlierOneDuringPublishIsNotCalled) {
  EventBus bus;
  int later = 0;
  EventBus::Id laterId = 0;
  bus.subscribe([&](const Event&) { bus.unsubscribe(laterId); });
  laterId = bus.subscribe([&](const Event&) { ++later; });

  bus.publish(event(kAlerts, "alert"));
  EXPECT_EQ(later, 0);
}

TEST(EventBusTest, SubscriberAddedDuringPublishGetsOnlyLaterEvents) {
  EventBus bus;
  int added = 0;
  bool subscribed = false;
  bus.subscribe([&](const Event&) {
    if (subscribed) return;
    subscribed = true;
    bus.subscribe([&](const Event&) { ++added; });
  });

  bus.publish(event(kAlerts, "alert"));
  EXPECT_EQ(added, 0);
  bus.publish(event(kAlerts, "alert"));
  EXPECT_EQ(added, 1);
}

TEST(EventBusTest, SubscriberMayPublishDuringPublish) {
  EventBus bus;
  std::vector<std::string> seen;
  bus.subscribe([&](const Event& e) {
    seen.push_back(e.method);
    if (e.method == "alert") bus.publish(event(kCameraStatus, "camera_status_update"));
  });

  bus.publish(event(kAlerts, "alert"));
  EXPECT_EQ(seen, (std::vector<std::string>{"alert", "camera_status_update"}));
}

}  // namespace
}  // namespace ocellus::api::events
