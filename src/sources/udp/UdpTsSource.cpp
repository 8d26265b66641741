#include "sources/udp/UdpTsSource.h"

#include <boost/asio/ip/multicast.hpp>
#include <boost/asio/post.hpp>

#include <future>

#include "io/Udp.h"

namespace ocellus::sources::udp {

namespace net = boost::asio;

namespace {

constexpr std::string_view kScheme = "udp://";

constexpr std::string_view kInterface = "interface=";

struct Target {
  io::Address bind;
  std::optional<net::ip::address> group;
  net::ip::address_v4 interface;  // any: the one the routing table picks for the group
};

base::Result<Target> parseUrl(std::string_view url) {
  const auto bad = [&](const std::string& why) {
    return base::makeError(base::ErrorCode::InvalidArgument, "source '" + std::string(url) + "': " + why);
  };
  if (url.substr(0, kScheme.size()) != kScheme) return bad("not a udp:// URL");
  auto rest = url.substr(kScheme.size());
  const auto q = rest.find('?');
  const auto query = q == std::string_view::npos ? std::string_view{} : rest.substr(q + 1);
  auto address = io::Address::parse(rest.substr(0, q));
  if (!address) return bad(address.error().message);
  if (address->port == 0) return bad("needs a port (udp://0.0.0.0:5000)");
  Target t{*address, std::nullopt, {}};
  if (!address->host.empty()) {
    boost::system::error_code ec;
    const auto ip = net::ip::make_address(address->host, ec);
    if (ec) return bad("the host must be an IP address (or a multicast group)");
    // Bound to the group itself, the socket gets only that group's datagrams: bound to the
    // wildcard it would also get every other group joined on the same port (Linux delivers by
    // port, IP_MULTICAST_ALL) and mix two cameras' streams.
    if (ip.is_multicast()) t.group = ip;
  }
  if (!query.empty()) {
    if (!query.starts_with(kInterface)) return bad("the only option is ?interface=<IPv4 address of the interface>");
    if (!t.group || !t.group->is_v4()) return bad("?interface= is for IPv4 multicast groups");
    boost::system::error_code ec;
    t.interface = net::ip::make_address_v4(std::string(query.substr(kInterface.size())), ec);
    if (ec) return bad("?interface= takes the IPv4 address of the interface to join the group on");
  }
  return t;
}

}  // namespace

base::Status UdpTsSource::validate(std::string_view url) {
  auto t = parseUrl(url);
  if (!t) return t.error();
  return {};
}

std::shared_ptr<UdpTsSource> UdpTsSource::create(io::IoContext& loop, media::StreamRegistry& registry, Options options) {
  return std::shared_ptr<UdpTsSource>(new UdpTsSource(loop, registry, std::move(options)));
}

UdpTsSource::UdpTsSource(io::IoContext& loop, media::StreamRegistry& registry, Options options)
    : loop_(loop), registry_(registry), options_(std::move(options)), socket_(loop), timeout_(loop) {}

UdpTsSource::~UdpTsSource() = default;

void UdpTsSource::start() {
  net::post(loop_, [self = shared_from_this()] { self->open(); });
}

void UdpTsSource::stop() {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  net::post(loop_, [self = shared_from_this(), done] {
    self->stopped_ = true;
    boost::system::error_code ignored;
    self->socket_.close(ignored);
    self->timeout_.cancel();
    self->ingest_.reset();
    self->setState(SourceState::Offline, "stopped");
    done->set_value();
  });
  if (!loop_.get_executor().running_in_this_thread()) future.wait_for(std::chrono::seconds(1));
}

void UdpTsSource::setState(SourceState state, const std::string& detail) {
  if (state == state_ && state != SourceState::Error) return;
  state_ = state;
  if (options_.onState) options_.onState(state, detail);
}

void UdpTsSource::open() {
  if (stopped_) return;
  // Once per start: the reason goes to the log as well as to the camera's status.
  const auto fail = [this](const std::string& why) {
    log_.warn("'{}' cannot listen on {}: {}", options_.path, options_.url, why);
    setState(SourceState::Error, why);
  };
  auto target = parseUrl(options_.url);
  if (!target) return fail(target.error().message);
  auto bound = io::bindUdp(socket_, target->bind);
  if (!bound) return fail(bound.error().message);
  if (target->group) {
    boost::system::error_code ec;
    if (target->group->is_v4()) {
      socket_.set_option(net::ip::multicast::join_group(target->group->to_v4(), target->interface), ec);
    } else {
      socket_.set_option(net::ip::multicast::join_group(*target->group), ec);
    }
    if (ec) return fail("cannot join " + target->group->to_string() + ": " + ec.message());
  }
  log_.info("'{}' listens for MPEG-TS on {}", options_.path, options_.url);
  setState(SourceState::Connecting, "waiting for datagrams");
  receive();
  armTimeout();
}

void UdpTsSource::receive() {
  socket_.async_receive(net::buffer(buffer_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
    if (self->stopped_ || ec == net::error::operation_aborted) return;
    if (!ec && n > 0) {
      self->lastDatagram_ = base::Clock::system().now();
      if (!self->ingest_) {
        self->ingest_ = std::make_unique<bridge::MpegTsIngest>(self->registry_, self->loop_, self->options_.path,
                                                               "udp " + self->options_.url);
      }
      if (auto status = self->ingest_->feed(std::span<const std::uint8_t>(self->buffer_.data(), n)); !status) {
        self->ingest_.reset();
        self->setState(SourceState::Error, status.error().message);
      } else if (self->ingest_->published()) {
        self->setState(SourceState::Online, {});
      }
    }
    self->receive();
  });
}

void UdpTsSource::armTimeout() {
  timeout_.expires_after(std::chrono::seconds(1));
  timeout_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    if (self->ingest_ && base::Clock::system().now() - self->lastDatagram_ > self->options_.readTimeout) {
      self->log_.info("'{}': nothing on {} for {} s", self->options_.path, self->options_.url,
                      self->options_.readTimeout.count());
      self->ingest_.reset();
      self->setState(SourceState::Offline, "no datagram for " + std::to_string(self->options_.readTimeout.count()) + " s");
    }
    self->armTimeout();
  });
}

}  // namespace ocellus::sources::udp
