#pragma once

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <string>

#include "base/Log.h"
#include "base/Result.h"
#include "bridge/MpegTsIngest.h"
#include "io/IoContextPool.h"
#include "media/StreamRegistry.h"
#include "sources/Source.h"
#include "sources/SourceState.h"

namespace ocellus::sources::udp {

// A camera fed MPEG-TS over UDP (`udp://0.0.0.0:5000`, or a multicast group
// `udp://239.1.1.1:5000`, joined on the interface the routing table picks for it, or on the one
// `?interface=192.0.2.7` names by its address): datagrams go through an MpegTsIngest
// that publishes the path once the tracks are known (H.264, H.265, AAC, KLV). No datagram
// for readTimeout: the path is unpublished (Offline) and the next datagram publishes it again.
// Pinned to one loop; start()/stop()/demand() from any thread.
class UdpTsSource final : public Source, public std::enable_shared_from_this<UdpTsSource> {
 public:
  struct Options {
    std::string path;  // where it publishes ("cameras/<id>")
    std::string url;   // udp://HOST:PORT
    std::chrono::seconds readTimeout{10};
    SourceStateListener onState;  // may be empty
  };

  // udp://HOST:PORT[?interface=IPv4] with an IP address host (empty or 0.0.0.0: all
  // interfaces); the error names what is wrong.
  static base::Status validate(std::string_view url);

  static std::shared_ptr<UdpTsSource> create(io::IoContext& loop, media::StreamRegistry& registry, Options options);
  ~UdpTsSource() override;

  void start() override;
  void stop() override;
  void demand() override {}  // the sender decides when data comes

 private:
  UdpTsSource(io::IoContext& loop, media::StreamRegistry& registry, Options options);
  void open();
  void receive();
  void armTimeout();
  void setState(SourceState state, const std::string& detail);

  io::IoContext& loop_;
  media::StreamRegistry& registry_;
  const Options options_;
  const base::Logger log_{"udp"};

  // Loop only.
  boost::asio::ip::udp::socket socket_;
  boost::asio::steady_timer timeout_;
  std::unique_ptr<bridge::MpegTsIngest> ingest_;
  std::array<std::uint8_t, 65536> buffer_{};
  base::SteadyTime lastDatagram_{};
  SourceState state_ = SourceState::Offline;
  bool stopped_ = false;
};

}  // namespace ocellus::sources::udp
