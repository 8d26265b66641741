#include "server/srt/SrtServer.h"

#include <srt/access_control.h>
#include <srt/srt.h>

#include <boost/asio/post.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <future>
#include <vector>

#include "bridge/MpegTsIngest.h"
#include "bridge/MpegTsReader.h"
#include "proto/srt/StreamId.h"

namespace ocellus::server::srt {

namespace {

constexpr int kMaxPayload = 1500;     // one SRT live message is at most 1456 bytes
constexpr int kEventsPerWait = 64;
constexpr std::int64_t kWaitMs = 100;  // how soon stop() is noticed

std::string srtError() { return srt_getlasterror_str(); }

std::string peerText(const sockaddr* peer) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (peer->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(peer)->sin_addr, text.data(), text.size());
  } else if (peer->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(peer)->sin6_addr, text.data(), text.size());
  }
  return text.data();
}

bool loopbackPeer(const sockaddr* peer) {
  if (peer->sa_family == AF_INET) {
    return (ntohl(reinterpret_cast<const sockaddr_in*>(peer)->sin_addr.s_addr) >> 24) == 127;
  }
  if (peer->sa_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6*>(peer)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(&a) || (IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127);
  }
  return false;
}

// libsrt's global state: started with the first server, cleaned up after the last.
std::mutex gLibraryMutex;
int gLibraryUsers = 0;

// libsrt's own log lines (it reports an empty accept queue as an error, for one) go to ours at
// debug level: what matters to a user is logged by the server itself.
void libraryLog(void*, int, const char*, int, const char*, const char* message) {
  static const base::Logger log("libsrt");
  std::string_view text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  log.debug("{}", text);
}

void acquireLibrary() {
  std::lock_guard lock(gLibraryMutex);
  if (gLibraryUsers++ == 0) {
    srt_startup();
    srt_setloghandler(nullptr, &libraryLog);
  }
}

void releaseLibrary() {
  std::lock_guard lock(gLibraryMutex);
  if (--gLibraryUsers == 0) srt_cleanup();
}

}  // namespace

// One accepted caller: a publisher (payloads → MpegTsIngest) or a reader (MpegTsReader →
// srt_sendmsg), on one media loop for its life.
class SrtServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(SRTSOCKET socket, io::IoContext& loop, proto::srt::StreamId id, std::string path, std::string peer)
      : socket_(socket), loop_(loop), id_(std::move(id)), path_(std::move(path)), peer_(std::move(peer)) {}

  SRTSOCKET socket() const { return socket_; }
  bool publishing() const { return id_.action == proto::srt::StreamId::Action::Publish; }
  const std::string& path() const { return path_; }
  const std::string& peer() const { return peer_; }

  // Loop only.
  void startPublishing(SrtServer& server) {
    ingest_ = std::make_unique<bridge::MpegTsIngest>(server.registry_, loop_, path_, "srt publisher " + peer_);
  }
  void feed(SrtServer& server, const std::vector<std::uint8_t>& bytes) {
    if (!ingest_ || closed_) return;
    if (auto status = ingest_->feed(bytes); !status) {
      server.log_.warn("publisher {} on '{}': {}", peer_, path_, status.error().message);
      server.closeSession(socket_, status.error().message);
    }
  }

  // Loop only: waits for the path, then reads it.
  void startReading(SrtServer& server) {
    auto self = shared_from_this();
    server.registry_.whenReady(
        path_, loop_, server.options_.onDemandStartTimeout,
        [self, &server](base::Result<std::shared_ptr<media::Stream>> stream) {
          if (self->closed_) return;
          if (!stream) {
            server.log_.info("reader {}: '{}' is not available: {}", self->peer_, self->path_,
                             stream.error().message);
            return server.closeSession(self->socket_, "no stream");
          }
          self->attach(server, std::move(stream.value()));
        });
  }

  // Loop only.
  void close() {
    if (closed_) return;
    closed_ = true;
    if (ingest_) ingest_->end();
    ingest_.reset();
    if (reader_ && stream_) stream_->removeReader(reader_, loop_);
    reader_.reset();
    stream_.reset();
  }

  io::IoContext& loop() { return loop_; }

 private:
  void attach(SrtServer& server, std::shared_ptr<media::Stream> stream) {
    const SRTSOCKET socket = socket_;
    auto* drops = &server.sendDrops_;
    std::weak_ptr<Session> weak = weak_from_this();
    reader_ = std::make_shared<bridge::MpegTsReader>(
        stream->tracks(),
        [socket, drops](std::span<const std::uint8_t> packets) {
          if (srt_sendmsg2(socket, reinterpret_cast<const char*>(packets.data()), static_cast<int>(packets.size()),
                           nullptr) == SRT_ERROR) {
            drops->add();
          }
        },
        [weak, &server] {
          if (auto self = weak.lock()) server.closeSession(self->socket_, "the stream ended");
        });
    stream_ = std::move(stream);
    stream_->addReader(reader_, loop_);
    server.log_.info("reader {} reads '{}'", peer_, path_);
  }

  const SRTSOCKET socket_;
  io::IoContext& loop_;
  const proto::srt::StreamId id_;
  const std::string path_;
  const std::string peer_;

  // Loop only.
  bool closed_ = false;
  std::unique_ptr<bridge::MpegTsIngest> ingest_;
  std::shared_ptr<bridge::MpegTsReader> reader_;
  std::shared_ptr<media::Stream> stream_;
};

SrtServer::SrtServer(io::IoContextPool& loops, media::StreamRegistry& registry,
                     std::shared_ptr<const media::AccessControl> access, Options options)
    : loops_(loops),
      registry_(registry),
      access_(std::move(access)),
      options_(std::move(options)),
      connections_(base::Metrics::global().counter("ocellus_srt_connections_total", "SRT callers accepted")),
      refused_(base::Metrics::global().counter("ocellus_srt_refused_total",
                                               "SRT callers refused: bad stream id, credentials or path in use")),
      sendDrops_(base::Metrics::global().counter("ocellus_srt_send_drops_total",
                                                 "MPEG-TS packets an SRT reader's full send buffer dropped")) {}

SrtServer::~SrtServer() { stop(); }

base::Status SrtServer::start() {
  const std::string where = options_.address.toString();
  if (!options_.passphrase.empty() && (options_.passphrase.size() < 10 || options_.passphrase.size() > 79)) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "srt.passphrase must be 10 to 79 characters (it has " +
                               std::to_string(options_.passphrase.size()) + ")");
  }
  sockaddr_storage storage{};
  socklen_t length = 0;
  const std::string host = options_.address.bindHost();
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(options_.address.port);
    length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(options_.address.port);
    length = sizeof(sockaddr_in6);
  } else {
    return base::makeError(base::ErrorCode::InvalidArgument, "bad SRT address " + where + ": not an IP address");
  }

  acquireLibrary();
  listener_ = srt_create_socket();
  const bool no = false;
  const int live = SRTT_LIVE;
  const int latency = static_cast<int>(options_.latency.count());
  bool ok = listener_ != SRT_INVALID_SOCK &&
            srt_setsockflag(listener_, SRTO_TRANSTYPE, &live, sizeof live) != SRT_ERROR &&
            srt_setsockflag(listener_, SRTO_RCVSYN, &no, sizeof no) != SRT_ERROR &&
            srt_setsockflag(listener_, SRTO_SNDSYN, &no, sizeof no) != SRT_ERROR &&
            srt_setsockflag(listener_, SRTO_LATENCY, &latency, sizeof latency) != SRT_ERROR;
  if (ok && !options_.passphrase.empty()) {
    ok = srt_setsockflag(listener_, SRTO_PASSPHRASE, options_.passphrase.data(),
                         static_cast<int>(options_.passphrase.size())) != SRT_ERROR;
  }
  ok = ok && srt_bind(listener_, reinterpret_cast<sockaddr*>(&storage), static_cast<int>(length)) != SRT_ERROR &&
       srt_listen_callback(listener_, &SrtServer::onListen, this) != SRT_ERROR &&
       srt_listen(listener_, 64) != SRT_ERROR;
  if (ok) {
    epoll_ = srt_epoll_create();
    const int events = SRT_EPOLL_IN | SRT_EPOLL_ERR;
    ok = epoll_ >= 0 && srt_epoll_add_usock(epoll_, listener_, &events) != SRT_ERROR;
  }
  if (!ok) {
    auto error = base::makeError(base::ErrorCode::Io, "cannot listen for SRT on " + where + ": " + srtError());
    if (epoll_ >= 0) srt_epoll_release(epoll_);
    if (listener_ != SRT_INVALID_SOCK) srt_close(listener_);
    epoll_ = -1;
    listener_ = -1;
    releaseLibrary();
    return error;
  }
  sockaddr_storage bound{};
  int boundLength = sizeof bound;
  srt_getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &boundLength);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  log_.info("listening on {} (SRT/UDP port {}{})", where, port_, options_.passphrase.empty() ? "" : ", encrypted");
  thread_ = std::thread([this] { run(); });
  return {};
}

void SrtServer::stop() {
  if (listener_ < 0) return;
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  std::map<int, std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(sessionsMutex_);
    sessions.swap(sessions_);
  }
  std::vector<std::future<void>> done;
  for (auto& entry : sessions) {
    srt_close(entry.first);
    auto session = entry.second;
    auto closed = std::make_shared<std::promise<void>>();
    done.push_back(closed->get_future());
    boost::asio::post(session->loop(), [session, closed] {
      session->close();
      closed->set_value();
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (auto& f : done) f.wait_until(deadline);
  srt_epoll_release(epoll_);
  srt_close(listener_);
  epoll_ = -1;
  listener_ = -1;
  releaseLibrary();
}

std::size_t SrtServer::sessionCount() const {
  std::lock_guard lock(sessionsMutex_);
  return sessions_.size();
}

int SrtServer::onListen(void* self, SRTSOCKET socket, int, const sockaddr* peer, const char* streamId) {
  return static_cast<SrtServer*>(self)->admit(socket, peer, streamId);
}

// On libsrt's receiver thread, during the handshake: 0 admits, -1 refuses with the reason set.
int SrtServer::admit(SRTSOCKET socket, const sockaddr* peer, const char* streamId) {
  const std::string who = peerText(peer);
  const auto refuse = [&](int reason, const std::string& why) {
    refused_.add();
    log_.info("refused {}: {}", who, why);
    srt_setrejectreason(socket, reason);
    return -1;
  };
  auto id = proto::srt::StreamId::parse(streamId ? streamId : "");
  if (!id) return refuse(SRT_REJX_BAD_REQUEST, id.error().message);
  const bool publish = id->action == proto::srt::StreamId::Action::Publish;
  const media::MediaRequest request{publish ? media::MediaAction::Publish : media::MediaAction::Read,
                                    registry_.resolve(media::StreamRegistry::normalize(id->path)), who,
                                    loopbackPeer(peer)};
  const auto access = std::atomic_load(&access_);
  if (!access->pathAllows(request)) {
    return refuse(SRT_REJX_FORBIDDEN,
                  std::string(publish ? "publishing" : "reading") + " '" + request.path + "' is not allowed");
  }
  const bool credentials = !id->user.empty() || !id->token.empty();
  if (credentials || !access->allowsAnonymous(request)) {
    std::optional<std::string> principal;
    if (!id->user.empty()) principal = access->checkPassword(id->user, id->password);
    if (!principal && !id->token.empty()) principal = access->checkToken(id->token);
    if (!principal || !access->permits(*principal, request)) {
      return refuse(SRT_REJX_UNAUTHORIZED, credentials ? "wrong credentials for '" + request.path + "'"
                                                       : "'" + request.path + "' needs credentials");
    }
  }
  if (publish && registry_.find(request.path)) {
    return refuse(SRT_REJX_CONFLICT, "'" + request.path + "' is already being published");
  }
  return 0;
}

void SrtServer::run() {
  std::array<SRT_EPOLL_EVENT, kEventsPerWait> events{};
  while (!stopping_) {
    const int n = srt_epoll_uwait(epoll_, events.data(), static_cast<int>(events.size()), kWaitMs);
    for (int i = 0; i < n; ++i) {
      if (events[static_cast<std::size_t>(i)].fd == listener_) {
        acceptAll();
      } else {
        onEvent(events[static_cast<std::size_t>(i)].fd, events[static_cast<std::size_t>(i)].events);
      }
    }
  }
}

void SrtServer::acceptAll() {
  while (true) {
    sockaddr_storage peer{};
    int length = sizeof peer;
    const SRTSOCKET socket = srt_accept(listener_, reinterpret_cast<sockaddr*>(&peer), &length);
    if (socket == SRT_INVALID_SOCK) return;  // SRT_EASYNCRCV: none left
    std::array<char, proto::srt::StreamId::kMaxLength + 1> text{};
    int textLength = static_cast<int>(text.size());
    srt_getsockflag(socket, SRTO_STREAMID, text.data(), &textLength);
    auto id = proto::srt::StreamId::parse(std::string_view(text.data(), static_cast<std::size_t>(textLength)));
    if (!id) {  // admit() accepted it, so this does not happen
      srt_close(socket);
      continue;
    }
    auto path = registry_.resolve(media::StreamRegistry::normalize(id->path));
    auto session = std::make_shared<Session>(socket, loops_.next(), std::move(id.value()), std::move(path),
                                             peerText(reinterpret_cast<const sockaddr*>(&peer)));
    connections_.add();
    log_.info("{} {} '{}'", session->peer(), session->publishing() ? "publishes" : "reads", session->path());
    {
      std::lock_guard lock(sessionsMutex_);
      sessions_.emplace(socket, session);
    }
    const int watch = SRT_EPOLL_IN | SRT_EPOLL_ERR;
    srt_epoll_add_usock(epoll_, socket, &watch);
    boost::asio::post(session->loop(), [this, session] {
      if (session->publishing()) {
        session->startPublishing(*this);
      } else {
        session->startReading(*this);
      }
    });
  }
}

void SrtServer::onEvent(SRTSOCKET socket, int events) {
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(sessionsMutex_);
    const auto it = sessions_.find(socket);
    if (it == sessions_.end()) return;
    session = it->second;
  }
  if (events & SRT_EPOLL_IN) {
    // Everything that is there now, in one post to the session's loop.
    std::vector<std::uint8_t> bytes;
    std::array<char, kMaxPayload> message{};
    while (true) {
      const int n = srt_recvmsg(socket, message.data(), static_cast<int>(message.size()));
      if (n <= 0) break;
      if (session->publishing()) bytes.insert(bytes.end(), message.data(), message.data() + n);
    }
    if (!bytes.empty()) {
      boost::asio::post(session->loop(),
                        [this, session, bytes = std::move(bytes)] { session->feed(*this, bytes); });
    }
  }
  if ((events & SRT_EPOLL_ERR) || srt_getsockstate(socket) >= SRTS_BROKEN) {
    closeSession(socket, "disconnected");
  }
}

// Any thread.
void SrtServer::closeSession(SRTSOCKET socket, const std::string& why) {
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(sessionsMutex_);
    const auto it = sessions_.find(socket);
    if (it == sessions_.end()) return;
    session = std::move(it->second);
    sessions_.erase(it);
  }
  srt_close(socket);
  log_.info("{} on '{}' closed: {}", session->peer(), session->path(), why);
  boost::asio::post(session->loop(), [session] { session->close(); });
}

}  // namespace ocellus::server::srt
