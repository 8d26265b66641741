#include "server/rtsp/RtspServer.h"

#include <algorithm>
#include <boost/asio/post.hpp>

#include <future>

#include "base/Random.h"
#include "io/Tcp.h"
#include "server/rtsp/RtspConnection.h"

namespace ocellus::server::rtsp {


RtspServer::Context::Context(Options o, media::StreamRegistry& r, std::shared_ptr<const media::AccessControl> a)
    : options(std::move(o)),
      registry(r),
      auth(proto::rtsp::ServerAuth::Options{}),
      connections(base::Metrics::global().counter("ocellus_rtsp_connections_total", "RTSP connections accepted")),
      badRequests(base::Metrics::global().counter("ocellus_rtsp_bad_requests_total",
                                                  "RTSP requests refused as malformed")),
      authFailures(base::Metrics::global().counter("ocellus_rtsp_auth_failures_total",
                                                   "RTSP requests refused for credentials")),
      droppedUnits(base::Metrics::global().counter("ocellus_rtsp_reader_dropped_units_total",
                                                   "units RTSP readers skipped because they were too slow")),
      access_(std::move(a)) {}

RtspServer::RtspServer(io::IoContextPool& loops, media::StreamRegistry& registry,
                       std::shared_ptr<const media::AccessControl> access, Options options)
    : loops_(loops),
      context_(std::make_shared<Context>(std::move(options), registry, std::move(access))),
      acceptor_(loops.at(0)),
      statsTimer_(loops.at(0)) {}

RtspServer::~RtspServer() { stop(); }

base::Status RtspServer::start() {
  const auto& o = context_->options;
  auto port = io::listenTcp(acceptor_, o.address, "RTSP");
  if (!port) return port.error();
  port_ = *port;
  if (o.udp) {
    context_->udp = std::make_shared<UdpMediaPort>(loops_.at(0));
    OCELLUS_TRY(context_->udp->open(o.udpRtpAddress, o.udpRtcpAddress));
  }
  context_->log.info("listening on {} (TCP{}{})", o.address.toString(), o.udp ? ", UDP " : "",
                     o.udp ? std::to_string(context_->udp->rtpPort()) + "-" + std::to_string(context_->udp->rtcpPort()) : "");
  boost::asio::post(acceptor_.get_executor(), [this] {
    accept();
    reportLatency();
  });
  return {};
}

void RtspServer::reportLatency() {
  static constexpr auto kInterval = std::chrono::seconds(5);
  statsTimer_.expires_after(kInterval);
  statsTimer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !acceptor_.is_open()) return;
    const auto s = context_->relayLatency.takeSummary();
    if (s.count > 0) {
      context_->log.info("relay latency over {} s: {} units, p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms",
                         kInterval.count(), s.count, s.p50Ms, s.p99Ms, s.maxMs);
    }
    reportLatency();
  });
}

void RtspServer::accept() {
  auto& loop = loops_.next();
  acceptor_.async_accept(loop, [this, &loop](const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      auto connection = std::make_shared<RtspConnection>(std::move(socket), context_);
      connections_.add(connection);
      boost::asio::post(loop, [connection] { connection->start(); });
    } else {
      context_->log.warn("accept failed: {}", ec.message());
    }
    accept();
  });
}

void RtspServer::stop() {
  if (!acceptor_.is_open() && connections_.size() == 0) return;
  std::promise<void> closed;
  boost::asio::post(acceptor_.get_executor(), [this, &closed] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    statsTimer_.cancel();
    closed.set_value();
  });
  closed.get_future().wait_for(std::chrono::seconds(1));
  connections_.closeAll("server stopping", std::chrono::seconds(1));
  if (context_->udp) context_->udp->close();
}

std::size_t RtspServer::sessionCount() const { return connections_.size(); }

}  // namespace ocellus::server::rtsp
