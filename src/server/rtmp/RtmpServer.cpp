#include "server/rtmp/RtmpServer.h"

#include <boost/asio/post.hpp>

#include <future>

#include "io/Tcp.h"
#include "io/TlsContext.h"
#include "server/rtmp/RtmpConnection.h"

namespace ocellus::server::rtmp {

RtmpServer::Context::Context(Options o, media::StreamRegistry& r, std::shared_ptr<const media::AccessControl> a)
    : options(std::move(o)),
      registry(r),
      connections(base::Metrics::global().counter("ocellus_rtmp_connections_total", "RTMP and RTMPS connections accepted")),
      badRequests(base::Metrics::global().counter("ocellus_rtmp_bad_requests_total",
                                                  "RTMP connections ended for malformed or over-limit input")),
      authFailures(base::Metrics::global().counter("ocellus_rtmp_auth_failures_total",
                                                   "RTMP publishes and plays refused for credentials or stream key")),
      droppedUnits(base::Metrics::global().counter("ocellus_rtmp_reader_dropped_units_total",
                                                   "units RTMP players skipped because they were too slow")),
      droppedMessages(base::Metrics::global().counter("ocellus_rtmp_publisher_dropped_messages_total",
                                                      "RTMP publisher messages dropped as malformed or not carried")),
      access_(std::move(a)) {}

RtmpServer::RtmpServer(io::IoContextPool& loops, media::StreamRegistry& registry,
                       std::shared_ptr<const media::AccessControl> access, Options options)
    : loops_(loops),
      context_(std::make_shared<Context>(std::move(options), registry, std::move(access))),
      acceptor_(loops.at(0)),
      tlsAcceptor_(loops.at(0)) {}

RtmpServer::~RtmpServer() { stop(); }

base::Status RtmpServer::start() {
  const auto& o = context_->options;
  if (o.tlsAddress) {
    if (o.tlsCertificate.empty() || o.tlsKey.empty()) {
      return base::makeError(base::ErrorCode::InvalidArgument, "RTMPS needs rtmp.tls_certificate and rtmp.tls_key");
    }
    auto tls = io::makeTlsContext(o.tlsCertificate, o.tlsKey);
    if (!tls) return base::makeError(tls.error().code, "RTMPS: " + tls.error().message);
    context_->tls = std::move(tls).value();
  }
  auto port = io::listenTcp(acceptor_, o.address, "RTMP");
  if (!port) return port.error();
  port_ = *port;
  if (o.tlsAddress) {
    auto tlsPort = io::listenTcp(tlsAcceptor_, *o.tlsAddress, "RTMPS");
    if (!tlsPort) return tlsPort.error();
    tlsPort_ = *tlsPort;
  }
  context_->log.info("listening on {}{}", o.address.toString(),
                     o.tlsAddress ? " and " + o.tlsAddress->toString() + " (RTMPS)" : "");
  boost::asio::post(acceptor_.get_executor(), [this] {
    accept(acceptor_, false);
    if (tlsAcceptor_.is_open()) accept(tlsAcceptor_, true);
  });
  return {};
}

void RtmpServer::accept(boost::asio::ip::tcp::acceptor& acceptor, bool tls) {
  auto& loop = loops_.next();
  acceptor.async_accept(loop, [this, &acceptor, &loop, tls](const boost::system::error_code& ec,
                                                            boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      auto connection = std::make_shared<RtmpConnection>(std::move(socket), context_, tls);
      connections_.add(connection);
      boost::asio::post(loop, [connection] { connection->start(); });
    } else {
      context_->log.warn("accept failed: {}", ec.message());
    }
    accept(acceptor, tls);
  });
}

void RtmpServer::dropKeyPublishers(const std::string& path) {
  for (auto& c : connections_.live()) {
    boost::asio::post(c->executorContext(), [c, path] { c->dropIfKeyPublisher(path); });
  }
}

void RtmpServer::stop() {
  if (!acceptor_.is_open() && !tlsAcceptor_.is_open() && connections_.size() == 0) return;
  std::promise<void> closed;
  boost::asio::post(acceptor_.get_executor(), [this, &closed] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    tlsAcceptor_.close(ec);
    closed.set_value();
  });
  closed.get_future().wait_for(std::chrono::seconds(1));
  connections_.closeAll("server stopping", std::chrono::seconds(1));
}

std::size_t RtmpServer::sessionCount() const { return connections_.size(); }

}  // namespace ocellus::server::rtmp
