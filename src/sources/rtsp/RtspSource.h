#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "io/IoContextPool.h"
#include "media/StreamRegistry.h"
#include "sources/Source.h"
#include "sources/SourceState.h"

namespace ocellus::sources::rtsp {

// Pulls one IP camera over RTSP (DESIGN §4) and publishes it on a path: DESCRIBE, SETUP of
// every supported track over UDP (falling back to TCP when UDP brings nothing) or TCP, PLAY,
// keep-alives, and on any failure a reconnect after a pause that doubles with jitter up to a
// cap. Readers stay attached across reconnects when the camera comes back with the same
// tracks, and timestamps continue where they stopped. On-demand sources start when a reader
// asks and stop after the last reader has been gone for a while.
//
// Pinned to one loop. start()/stop()/demand() may be called from any thread.
class RtspSource final : public Source, public std::enable_shared_from_this<RtspSource> {
 public:
  struct Options {
    std::string path;   // where it publishes ("cameras/<id>")
    std::string url;    // rtsp://[user:pass@]host[:port]/path
    std::vector<std::string> transports = {"udp", "tcp"};
    std::chrono::milliseconds reconnectMin{500};
    std::chrono::milliseconds reconnectMax{30000};
    std::chrono::seconds readTimeout{10};
    bool onDemand = false;
    std::chrono::seconds onDemandIdle{10};
    SourceStateListener onState;  // may be empty
  };

  static std::shared_ptr<RtspSource> create(io::IoContext& loop, media::StreamRegistry& registry, Options options);
  ~RtspSource() override;

  void start() override;
  void stop() override;
  void demand() override;

  const Options& options() const { return options_; }

 private:
  RtspSource(io::IoContext& loop, media::StreamRegistry& registry, Options options);
  struct Session;
  void launch();

  io::IoContext& loop_;
  media::StreamRegistry& registry_;
  const Options options_;
  std::shared_ptr<Session> session_;  // loop only
  bool running_ = false;              // loop only
  bool stopped_ = false;              // loop only
};

}  // namespace ocellus::sources::rtsp
