#pragma once

#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/Clock.h"
#include "base/Log.h"
#include "bridge/HlsPackager.h"
#include "media/Reader.h"
#include "media/Stream.h"
#include "server/hls/HlsRequest.h"

namespace ocellus::server::hls {

// The HLS side of one published Stream: a media::Reader on the stream's own loop that feeds an
// HlsPackager, and answers every request for that path from the packager's ring on that loop,
// so the ring is never shared between threads: HTTP handlers on their connections' loops hand
// requests here (served at once when that loop is the stream's, else posted) and get back
// shared bytes through their HlsDone, never a copy: parts (and segments, as
// their parts) are the packager's immutable buffers, and a playlist is rendered once per ring
// version and variant (LL or plain, skip, query) and shared by every request answered with it.
//
// Waits never block the loop: the first request waits (up to startTimeout) for the first
// complete segment; a blocking playlist reload, a hinted part not written yet or an open
// segment wait as SegmentRing waiters (up to blockTimeout, then 503), so each new part wakes
// them all in one pass; their deadlines share one timer.
//
// Life: start() joins the stream; the session closes when the stream ends, its tracks change
// (in-band parameter sets that need a new init segment: the ring ends with EXT-X-ENDLIST and the
// next request starts a fresh session whose media sequence numbers are higher), after
// idleTimeout without a request unless alwaysOn, or on close(). onClosed then runs on the
// session's loop, before parked and starting requests are answered; requests arriving later
// are handed to `retry` (on the session's loop).
class HlsSession : public media::Reader, public std::enable_shared_from_this<HlsSession> {
 public:
  struct Options {
    proto::hls::RingConfig ring;
    std::chrono::milliseconds startTimeout{10'000};
    std::chrono::milliseconds blockTimeout{6'000};
    std::chrono::milliseconds idleTimeout{60'000};
    bool alwaysOn = false;
  };
  using Retry = std::function<void(HlsRequest, HlsDone)>;

  HlsSession(std::shared_ptr<media::Stream> stream, Options options, const base::Clock& clock,
             std::function<void()> onClosed, Retry retry);
  HlsSession(const HlsSession&) = delete;
  HlsSession& operator=(const HlsSession&) = delete;

  // Any thread. handle() serves at once when called on loop(): `done` may run before it returns.
  void start();
  void handle(HlsRequest request, HlsDone done);
  void close(std::string why);
  io::IoContext& loop() const { return loop_; }

  // media::Reader, on loop().
  void onUnit(const media::UnitPtr& unit) override;
  void onStreamEnd() override;

 private:
  struct Parked;
  void begin();
  void serve(HlsRequest request, HlsDone done);
  HlsAnswer answer(const HlsRequest& request);
  base::SharedBytes playlist(const HlsRequest& request);
  void park(const proto::hls::BlockingDecision& decision, HlsRequest request, HlsDone done);
  void armParkTimer();
  void expireParked();
  void forgetAnswered();
  void startPackager();
  void releaseStarting();
  void checkIdle();
  void shutDown(const std::string& why);

  std::shared_ptr<media::Stream> stream_;
  io::IoContext& loop_;
  Options options_;
  const base::Clock& clock_;
  std::function<void()> onClosed_;
  Retry retry_;
  base::Logger log_;

  // On loop_ only:
  std::unique_ptr<bridge::HlsPackager> packager_;
  std::string packagerError_;
  std::vector<std::pair<HlsRequest, HlsDone>> starting_;  // waiting for the first segment
  std::deque<std::shared_ptr<Parked>> parked_;  // deadline order: parked one blockTimeout each
  boost::asio::steady_timer parkTimer_;          // at the front's deadline while parked_ is not empty
  // Playlists rendered from the ring at playlistsVersion_, by variant (playlist()).
  std::unordered_map<std::string, base::SharedBytes> playlists_;
  std::uint64_t playlistsVersion_ = 0;
  boost::asio::steady_timer startTimer_;
  boost::asio::steady_timer idleTimer_;
  base::SteadyTime lastRequest_;
  bool reading_ = false;
  bool closed_ = false;
};

}  // namespace ocellus::server::hls
