#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/events/EventBus.h"

namespace ocellus::api::events {

// One receiver of event POSTs (config `events.webhooks[]`).
struct Webhook {
  std::string url;                  // http://host[:port][/path][?query]; https is not supported
  std::string secret;               // HMAC-SHA256 key of the X-Ocellus-Signature header
  std::vector<std::string> topics;  // event topics it wants ("alerts", "camera_status"); empty: only "alerts"
};

// Delivers bus events to webhooks (DESIGN §6). For every event whose topic a hook wants, a
// delivery is queued for that hook and sent later; publishing never waits on a receiver.
//
// A delivery is `POST <path>` with the JSON body
//   {"event": method, "topic": topic, "camera": camera, "data": params,
//    "timestamp": "2024-05-01T12:00:00.123Z", "id": "<uuid>"}
// and the headers Content-Type: application/json, User-Agent: ocellus, X-Ocellus-Event: method,
// X-Ocellus-Delivery: id (the same on every retry, so receivers can de-duplicate) and
// X-Ocellus-Signature: sha256=<lowercase hex HMAC-SHA256(secret, body)>.
//
// Each hook has its own bounded queue (a slow receiver drops its own oldest events, counted
// in webhook_dropped_total, never slows the bus or other hooks) and sends one delivery at a
// time, in order, over a fresh HTTP/1.1 connection (`Connection: close`). A 2xx answer is
// delivered (webhook_delivered_total); anything else, a network error or no answer within
// Options::timeout is retried after a pause that doubles from backoffBase up to backoffMax
// (with jitter), up to maxAttempts attempts, then dropped (webhook_failed_total).
//
// Lives on the control loop, like the bus: construct it, call stop() and destroy it there.
// `control` and `bus` must outlive it; pending I/O keeps only the per-hook state alive, so it
// may be destroyed while operations are still being cancelled.
class WebhookSender {
 public:
  struct Options {
    std::size_t queueLimit = 1000;                // pending deliveries per hook; beyond: drop the oldest
    int maxAttempts = 8;                          // per delivery, the first included
    std::chrono::milliseconds backoffBase{1000};  // pause before the first retry; doubles
    std::chrono::milliseconds backoffMax{60000};  // cap of the pause
    std::chrono::milliseconds timeout{10000};     // whole attempt: resolve, connect, send, answer
  };

  // The parts of a webhook URL a request needs.
  struct Target {
    std::string host;  // name or address, IPv6 without brackets
    std::uint16_t port = 80;
    std::string hostHeader;  // "host[:port]" as written in the URL
    std::string path;        // origin-form request target: "/path?query", at least "/"
  };

  // Subscribes to `bus`. Hooks whose URL is not a valid http:// URL are logged and ignored.
  WebhookSender(boost::asio::io_context& control, EventBus& bus, std::vector<Webhook> hooks);
  WebhookSender(boost::asio::io_context& control, EventBus& bus, std::vector<Webhook> hooks, Options options);
  ~WebhookSender();  // stop()
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Unsubscribes, drops every queued delivery and cancels timers and sockets; returns at once
  // (the cancelled operations finish on the loop soon after). Idempotent.
  void stop();

  // Number of hooks accepted (valid URL).
  std::size_t size() const { return hooks_.size(); }

  // Parses an http:// URL; nullopt with `error` set when it is not one (https, no host, port 0).
  static std::optional<Target> parseUrl(std::string_view url, std::string* error = nullptr);
  // The delivery body (see above); `timestamp` in Unix milliseconds.
  static std::string makeBody(const Event& event, std::int64_t timestampMs, const std::string& id);
  // "2024-05-01T12:00:00.123Z".
  static std::string isoTimestamp(std::int64_t unixMillis);

 private:
  struct Hook;
  void onEvent(const Event& event);

  boost::asio::io_context& control_;
  EventBus& bus_;
  const Options options_;
  std::vector<std::shared_ptr<Hook>> hooks_;
  std::optional<EventBus::Id> subscription_;
};

}  // namespace ocellus::api::events
