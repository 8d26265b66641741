#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Log.h"
#include "bridge/FlvReceiver.h"
#include "bridge/FlvSender.h"
#include "media/Reader.h"
#include "media/ReaderQueue.h"
#include "media/Stream.h"
#include "proto/rtmp/ServerConnection.h"
#include "server/rtmp/RtmpServer.h"

namespace ocellus::server::rtmp {

// One RTMP(S) connection: a thin shell that moves bytes between the socket and a sans-I/O
// proto::rtmp::ServerConnection and acts on its events. A publisher's messages go through a
// bridge::FlvReceiver into a Stream; a player is a Stream reader whose units are written as
// the FLV messages its loop's bridge::FlvSender made once for all players there, several per
// write (one gather write of everything queued, made at once, without an asynchronous
// operation, when the socket takes it all: plain TCP, a player keeping up). Lives on one
// loop; all methods run there.
// Owned by its pending asynchronous operations (shared_from_this) and, while playing, by the
// Stream's reader list; close() ends both.
class RtmpConnection : public media::Reader, public std::enable_shared_from_this<RtmpConnection> {
 public:
  RtmpConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<RtmpServer::Context> context, bool tls);
  ~RtmpConnection() override;

  void start();
  void close(std::string_view reason);
  io::IoContext& executorContext() const { return loop_; }
  // Closes the connection if it publishes `path` with a stream key (the key was rotated).
  void dropIfKeyPublisher(const std::string& path);

  // media::Reader
  void onUnit(const media::UnitPtr& unit) override;
  void onStreamEnd() override;

  // Players send little: a small read buffer keeps many of them cheap. Publishers send frames.
  static constexpr std::size_t kPlayerReadSize = 4 * 1024;
  static constexpr std::size_t kPublisherReadSize = 64 * 1024;

 private:
  enum class Role { None, Publisher, Player };

  void handshakeTls();
  void read();
  void processEvents();
  void onPublish(const proto::rtmp::ServerConnection::PublishRequested& request);
  void onPlay(const proto::rtmp::ServerConnection::PlayRequested& request);
  void onMedia(const proto::rtmp::ServerConnection::Media& media);
  void startPublishing();
  void startPlaying(std::shared_ptr<media::Stream> stream);
  void stopPublishing();
  void stopPlaying();

  // The path a stream name ("name?query") maps to, once the client may act on it; otherwise the
  // reason, for the refusal the client sees. Sets byKey_ for a publish by camera stream key.
  base::Result<std::string> authorize(media::MediaAction action, const std::string& streamName);

  template <typename Handler>
  void readSome(boost::asio::mutable_buffer buffer, Handler&& handler);
  void flush();
  void flushLater();
  void tick();

  std::shared_ptr<RtmpServer::Context> ctx_;
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  io::IoContext& loop_;
  boost::asio::steady_timer timer_;
  base::Logger log_;
  std::string remote_;  // "ip:port", for logs
  std::string remoteIp_;
  bool loopback_ = false;
  bool closed_ = false;
  bool closing_ = false;  // close once the pending output is written
  base::SteadyTime started_;
  base::SteadyTime lastInput_;

  proto::rtmp::ServerConnection conn_;
  std::vector<std::uint8_t> readBuffer_;
  bool reading_ = false;
  std::string app_;
  std::string connectQuery_;

  Role role_ = Role::None;
  std::string path_;
  std::uint32_t streamId_ = 0;  // the message stream that publishes or plays
  std::shared_ptr<media::Stream> stream_;

  // Publisher.
  bool byKey_ = false;
  std::optional<bridge::FlvReceiver> ingest_;
  std::uint64_t droppedMessages_ = 0;
  base::RateLimiter dropLog_{std::chrono::seconds(10)};

  // Player: units wait in the bounded queue until the end of the loop turn (flushLater) or
  // while the socket does not take more (an asynchronous write is in flight).
  std::shared_ptr<bridge::FlvSender> sender_;
  std::optional<media::ReaderQueue> queue_;
  std::vector<media::UnitPtr> pending_;
  std::vector<bridge::FlvSender::Bytes> inflightMessages_;
  std::vector<std::uint8_t> inflightControl_;
  std::vector<boost::asio::const_buffer> buffers_;
  bool writing_ = false;
  bool flushDue_ = false;
};

}  // namespace ocellus::server::rtmp
