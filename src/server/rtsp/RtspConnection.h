#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bridge/RtpTrackReceiver.h"
#include "bridge/RtpTrackSender.h"
#include "bridge/SdpTracks.h"
#include "media/ReaderQueue.h"
#include "media/Reader.h"
#include "media/Stream.h"
#include "proto/rtsp/Request.h"
#include "proto/rtsp/Response.h"
#include "proto/rtsp/Parser.h"
#include "server/rtsp/RtspServer.h"

namespace ocellus::server::rtsp {

// One RTSP control connection and the session it carries (RFC 2326 §3-§12): it turns requests
// into responses and, once playing, is a Stream reader that writes the stream's shared RTP
// packets (TCP: interleaved in the same socket; UDP: through the server's UDP port); once
// recording, it publishes what it receives. Lives on one loop; all methods run there.
// Owned by its pending asynchronous operations (shared_from_this) and, while playing, by the
// Stream's reader list; close() ends both.
class RtspConnection : public media::Reader, public std::enable_shared_from_this<RtspConnection> {
 public:
  RtspConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<RtspServer::Context> context);
  ~RtspConnection() override;

  void start();
  void close(std::string_view reason);
  io::IoContext& executorContext() const { return loop_; }

  // media::Reader
  void onUnit(const media::UnitPtr& unit) override;
  void onStreamEnd() override;

  // Limits a client cannot raise.
  static constexpr std::size_t kMaxTracks = 8;
  // Readers send only requests and RTCP: a small read buffer keeps 1000 of them cheap.
  // Publishers send interleaved RTP (frames up to 64 KiB) and read in larger chunks.
  static constexpr std::size_t kReaderReadSize = 4 * 1024;
  static constexpr std::size_t kPublisherReadSize = 64 * 1024;

 private:
  enum class Mode { None, Play, Record };
  struct Track {
    bool setup = false;
    bool tcp = true;
    std::uint8_t rtpChannel = 0;
    std::uint8_t rtcpChannel = 1;
    UdpMediaPort::Endpoint rtpPeer;
    UdpMediaPort::Endpoint rtcpPeer;
    std::uint8_t payloadType = 96;
    std::string control;  // record: as announced
    std::optional<bridge::RtpTrackSender> sender;                // play
    std::unique_ptr<bridge::RtpTrackReceiver> receiver;          // record
  };

  void read();
  void processInput();
  void handle(proto::rtsp::Request request);
  void handleDescribe(const proto::rtsp::Request& request, const std::string& path);
  void handleAnnounce(const proto::rtsp::Request& request, const std::string& path);
  void handleSetup(const proto::rtsp::Request& request);
  void setupTransport(const proto::rtsp::Request& request, std::size_t index);
  void handlePlay(const proto::rtsp::Request& request);
  void handleRecord(const proto::rtsp::Request& request);
  void handleInterleaved(std::uint8_t channel, std::span<const std::uint8_t> data);
  void receiveRtp(std::size_t index, std::span<const std::uint8_t> packet);

  // Runs `then` when the client may perform `action` on `path`; otherwise answers 401/403.
  bool authorize(const proto::rtsp::Request& request, media::MediaAction action, const std::string& path);

  proto::rtsp::Response reply(const proto::rtsp::Request& request, int status);
  void send(proto::rtsp::Response response);
  void fail(const proto::rtsp::Request& request, int status, std::string_view why);
  void flush();
  void sendUdp(const media::Unit& unit, Track& track);
  void recordLatency(const media::Unit& unit, base::SteadyTime now);
  void tick();
  void endSession();
  void resume();

  std::shared_ptr<RtspServer::Context> ctx_;
  boost::asio::ip::tcp::socket socket_;
  io::IoContext& loop_;
  boost::asio::steady_timer timer_;
  base::Logger log_;
  std::string remoteIp_;
  bool loopback_ = false;
  bool closed_ = false;

  // Input.
  proto::rtsp::Parser parser_;
  bool reading_ = false;
  bool waiting_ = false;  // an asynchronous request (DESCRIBE of an on-demand path) is pending

  // Session.
  std::string sessionId_;
  Mode mode_ = Mode::None;
  std::string path_;
  std::string baseUrl_;
  std::shared_ptr<media::Stream> stream_;
  std::vector<media::TrackInfo> streamTracks_;
  std::vector<Track> tracks_;
  std::set<std::pair<media::MediaAction, std::string>> authorized_;
  bool playing_ = false;
  base::SteadyTime playingSince_{};
  base::SteadyTime lastActivity_;
  int ticks_ = 0;

  // Output: one write in flight; responses and media merged into one gather write.
  std::string controlOut_;
  std::string inflightControl_;
  std::optional<media::ReaderQueue> queue_;
  std::vector<media::UnitPtr> inflightUnits_;
  std::vector<std::uint8_t> headerBlock_;  // headers of the TCP write in flight
  std::vector<std::uint8_t> udpHeaders_;   // scratch for UDP sends (synchronous)
  std::vector<boost::asio::const_buffer> buffers_;
  bool writing_ = false;
};

}  // namespace ocellus::server::rtsp
