#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/Log.h"
#include "base/Metrics.h"
#include "base/Result.h"
#include "io/Address.h"
#include "io/IoContextPool.h"
#include "media/AccessControl.h"
#include "media/StreamRegistry.h"

struct sockaddr;

namespace ocellus::server::srt {

// SRT listener (libsrt, live mode) for MPEG-TS: a caller publishes a path or reads one, as its
// stream id says (proto/srt/StreamId: "publish:PATH[:USER:PASSWORD]", "read:PATH", or the
// "#!::r=PATH,m=publish" spelling). The decision is made before the handshake completes, so
// a refused caller gets SRT's reject reason (1400 bad request, 1401 unauthorized, 1403
// forbidden, 1409 path in use) instead of a session that dies at once.
//
// Threads: libsrt runs its own; one "srt" thread here waits on an SRT epoll for the listener
// and every session. A publisher's payloads go, one post per wake-up, to the media loop that
// demuxes and publishes them; a reader lives on a media loop as a media::Reader and sends with
// srt_sendmsg (thread-safe, non-blocking: a full send buffer drops that data and counts it).
class SrtServer {
 public:
  struct Options {
    io::Address address{"", 8890};
    std::string passphrase;                  // 10..79 characters (AES); empty: no encryption
    std::chrono::milliseconds latency{200};  // SRT's receive latency (retransmission window)
    std::chrono::seconds onDemandStartTimeout{10};
  };

  SrtServer(io::IoContextPool& loops, media::StreamRegistry& registry,
            std::shared_ptr<const media::AccessControl> access, Options options);
  ~SrtServer();  // stop()
  SrtServer(const SrtServer&) = delete;
  SrtServer& operator=(const SrtServer&) = delete;

  // Binds and listens; the error names the address or the bad option.
  base::Status start();
  // Closes the listener and every session, and joins the thread. Idempotent.
  void stop();
  void setAccessControl(std::shared_ptr<const media::AccessControl> access) { std::atomic_store(&access_, std::move(access)); }

  std::uint16_t port() const { return port_; }
  std::size_t sessionCount() const;

  class Session;

 private:
  static int onListen(void* self, int socket, int version, const ::sockaddr* peer, const char* streamId);
  int admit(int socket, const ::sockaddr* peer, const char* streamId);
  void run();
  void acceptAll();
  void onEvent(int socket, int events);
  void closeSession(int socket, const std::string& why);

  io::IoContextPool& loops_;
  media::StreamRegistry& registry_;
  std::shared_ptr<const media::AccessControl> access_;
  const Options options_;
  const base::Logger log_{"srt"};
  base::Counter& connections_;
  base::Counter& refused_;
  base::Counter& sendDrops_;

  int listener_ = -1;
  int epoll_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;

  mutable std::mutex sessionsMutex_;  // taken when sessions come and go, never per packet
  std::map<int, std::shared_ptr<Session>> sessions_;
};

}  // namespace ocellus::server::srt
