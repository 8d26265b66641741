// api_load: the control-plane load of bench/README.md on one thread and one io_context.
//
//   active phase  N WebSocket clients (authenticate, subscribe_events camera_status), each
//                 calling get_camera_status once a second; R REST GET /api/v1/cameras per second
//                 on a few keep-alive connections, paced open-loop; a publisher camera toggled
//                 online (RTSP RECORD) and offline (TCP close) to time camera_status_update.
//   idle phase    M WebSocket connections that only authenticate, held open so that the driver
//                 can read the server's RSS.
//
// Phase edges are written to stderr ("READY", "WINDOW_END", "IDLE_BEGIN", "IDLE_READY") so a
// driver can sample the server's /proc counters exactly there.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "Samples.h"

namespace ocellus::bench::api {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

struct Options {
  HostPort http;                     // REST and ws://HOST:PORT/ws
  HostPort rtsp;                     // the publisher's RTSP server
  std::string token;                 // JWT (or API token) for authenticate and Bearer
  std::vector<std::string> cameras;  // active client i polls cameras[i % size]
  std::string publisherCamera;       // toggled at rtsp://RTSP/cameras/<id>; empty: no toggling
  int active = 1000;
  double restRps = 100;
  int restConnections = 4;
  double durationS = 15;  // measuring window
  double warmupS = 2;     // load running, not measured, before the window
  double toggleS = 2;     // one publish/unpublish cycle; online for the first half
  int idle = 10000;
  double idleSettleS = 3;  // after the last idle connection is set up, before IDLE_READY
  double idleHoldS = 5;    // IDLE_READY, then this long, then close
  int inflight = 100;      // connection set-ups in progress at once
  double timeoutS = 10;    // one connection set-up, one REST request, one RTSP exchange
  double graceS = 2;       // after the window, for the last answers
};

struct SetupStats {
  int requested = 0;
  int connected = 0;
  int failed = 0;
  std::map<std::string, int> failures;  // reason -> count
  double seconds = 0;                   // first connect to last set-up done
};

// Latencies and counts cover calls sent inside the window.
struct Report {
  SetupStats active;
  double windowS = 0;

  // Round trips, ms: to the moment this client handles the answer (`rpc`, …), and to the kernel's
  // receive time of it (`…Arrival`), which leaves out the client's own queueing.
  Summary rpc, rpcArrival;               // get_camera_status
  std::uint64_t rpcCalls = 0;
  std::uint64_t rpcErrors = 0;           // answered with a JSON-RPC error
  std::map<std::string, int> rpcErrorCodes;
  std::uint64_t rpcUnanswered = 0;       // no answer by the end of the grace period
  int disconnects = 0;                   // active clients closed by the server or the network

  Summary rest, restArrival;             // GET /api/v1/cameras
  std::uint64_t restRequests = 0;
  std::uint64_t restErrors = 0;
  std::map<std::string, int> restFailures;

  Summary notification, notificationArrival;  // camera_status_update receipt − RECORD sent / close
  int toggles = 0;                       // status changes caused (online + offline)
  std::uint64_t notificationsExpected = 0;  // subscribed clients at each change, summed
  std::uint64_t notificationsDelivered = 0;
  std::uint64_t notificationsDuplicate = 0;
  std::map<std::string, int> publishFailures;

  Summary sendLag;                       // how late the client sent against its schedule, ms
  std::uint64_t badMessages = 0;         // not JSON, or not an object
  double clientCpuPct = 0;

  SetupStats idle;
  int idleOpenAtReady = 0;
  int idleOpenAtEnd = 0;
};

class ApiLoad {
 public:
  explicit ApiLoad(Options options);  // throws std::runtime_error when a host does not resolve
  ~ApiLoad();
  ApiLoad(const ApiLoad&) = delete;
  ApiLoad& operator=(const ApiLoad&) = delete;

  Report run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ocellus::bench::api
