#include "server/webrtc/WebRtcTcpListener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>

#include "io/Tcp.h"
#include "proto/webrtc/IceLite.h"
#include "proto/webrtc/PacketKind.h"
#include "proto/webrtc/StunMessage.h"

namespace ocellus::server::webrtc {

namespace pw = proto::webrtc;

struct WebRtcTcpListener::Unbound {
  Unbound(boost::asio::ip::tcp::socket s, base::SteadyTime deadline)
      : socket(std::move(s)), timer(socket.get_executor(), deadline), deadline(deadline) {}
  boost::asio::ip::tcp::socket socket;
  boost::asio::steady_timer timer;
  base::SteadyTime deadline;
  pw::TcpFraming framing;
  std::array<std::uint8_t, pw::TcpFraming::kMaxFrame> buffer{};
};

WebRtcTcpListener::WebRtcTcpListener(io::IoContext& loop)
    : loop_(loop),
      acceptor_(loop),
      accepted_(base::Metrics::global().counter("ocellus_webrtc_tcp_connections_total",
                                                "ICE-TCP connections bound to a WebRTC session")),
      refused_(base::Metrics::global().counter(
          "ocellus_webrtc_tcp_refused_total",
          "ICE-TCP connections closed before binding: too many waiting, no check in time, bad frame, unknown ufrag")) {}

base::Status WebRtcTcpListener::open(const io::Address& address) {
  auto port = io::listenTcp(acceptor_, address, "WebRTC ICE-TCP (webrtc.ice_tcp)");
  if (!port) return port.error();
  port_ = *port;
  boost::asio::post(loop_, [self = shared_from_this()] { self->accept(); });
  return {};
}

void WebRtcTcpListener::close() {
  boost::asio::post(loop_, [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    for (const auto& u : self->unbound_) u->socket.close(ignored);
    self->unbound_.clear();
    std::lock_guard lock(self->mutex_);
    self->byUfrag_.clear();
  });
}

void WebRtcTcpListener::add(const std::string& ufrag, io::IoContext& sessionLoop,
                            WebRtcTcpConnection::Handlers handlers) {
  std::lock_guard lock(mutex_);
  byUfrag_[ufrag] = Session{&sessionLoop, std::make_shared<const WebRtcTcpConnection::Handlers>(std::move(handlers))};
}

void WebRtcTcpListener::remove(const std::string& ufrag) {
  std::lock_guard lock(mutex_);
  byUfrag_.erase(ufrag);
}

void WebRtcTcpListener::accept() {
  acceptor_.async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                     boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (!ec) {
      if (self->unbound_.size() >= kMaxUnbound) {
        self->refused_.add();
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        auto u = std::make_shared<Unbound>(std::move(socket), base::Clock::system().now() + kCheckTimeout);
        self->unbound_.insert(u);
        u->timer.async_wait([self, weak = std::weak_ptr<Unbound>(u)](const boost::system::error_code& e) {
          if (auto alive = weak.lock(); alive && !e) self->drop(alive, "no ICE check in time");
        });
        self->read(u);
      }
    }
    self->accept();
  });
}

void WebRtcTcpListener::read(const std::shared_ptr<Unbound>& u) {
  u->socket.async_read_some(boost::asio::buffer(u->buffer),
                            [self = shared_from_this(), u](const boost::system::error_code& ec, std::size_t n) {
                              if (!self->unbound_.count(u)) return;  // dropped meanwhile
                              if (ec) return self->drop(u, ec.message());
                              u->framing.append({u->buffer.data(), n});
                              auto frame = u->framing.next();
                              if (!frame) return self->drop(u, frame.error().message);
                              if (!*frame) return self->read(u);  // a first frame is at most a read long
                              self->bind(u, **frame);
                            });
}

void WebRtcTcpListener::bind(const std::shared_ptr<Unbound>& u, std::span<const std::uint8_t> first) {
  // The ufrag lookup of WebRtcPort::route: "<our ufrag>:<peer ufrag>" (RFC 8445 §7.2.2).
  std::optional<Session> session;
  if (pw::classifyPacket(first) == pw::PacketKind::Stun) {
    if (const auto message = pw::StunMessage::parse(first)) {
      if (const auto ufrag = pw::IceLite::localUfragOf(*message)) {
        std::lock_guard lock(mutex_);
        if (const auto it = byUfrag_.find(*ufrag); it != byUfrag_.end()) session = it->second;
      }
    }
  }
  if (!session) return drop(u, "the first frame is not a check for a session of ours");
  unbound_.erase(u);
  u->timer.cancel();
  boost::system::error_code ec;
  const auto remote = u->socket.remote_endpoint(ec);
  const auto protocol = remote.protocol();
  const auto fd = ec ? -1 : u->socket.release(ec);
  if (ec) return;  // the peer left meanwhile (release closed nothing: the socket is gone)
  accepted_.add();
  std::vector<std::uint8_t> frame(first.begin(), first.end());  // `first` lies in the framing's buffer
  // The socket moves to the session's loop, where the transport that sends on it lives.
  boost::asio::post(*session->loop, [loop = session->loop, handlers = session->handlers, remote, protocol, fd,
                                     framing = std::move(u->framing), deadline = u->deadline,
                                     frame = std::move(frame),
                                     log = log_.child("tcp " + remote.address().to_string() + ":" +
                                                      std::to_string(remote.port()))]() mutable {
    auto connection = std::make_shared<WebRtcTcpConnection>(boost::asio::ip::tcp::socket(*loop, protocol, fd), remote,
                                                            std::move(framing), std::move(handlers), deadline,
                                                            std::move(log));
    connection->start(std::move(frame));
  });
}

void WebRtcTcpListener::drop(const std::shared_ptr<Unbound>& u, std::string_view why) {
  if (!unbound_.erase(u)) return;
  refused_.add();
  boost::system::error_code ec;
  log_.debug("ICE-TCP connection from {} closed: {}", u->socket.remote_endpoint(ec).address().to_string(), why);
  u->timer.cancel();
  u->socket.close(ec);
}

}  // namespace ocellus::server::webrtc
