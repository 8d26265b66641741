#include "io/Tcp.h"

#include <string>

namespace ocellus::io {

base::Result<std::uint16_t> listenTcp(boost::asio::ip::tcp::acceptor& acceptor, const Address& address,
                                      std::string_view what) {
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(address.bindHost(), ec);
  if (ec) return base::makeError(base::ErrorCode::InvalidArgument, "bad " + std::string(what) + " address " + address.toString());
  const boost::asio::ip::tcp::endpoint endpoint(ip, address.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return base::makeError(base::ErrorCode::Io,
                           "cannot listen for " + std::string(what) + " on " + address.toString() + ": " + ec.message());
  }
  return acceptor.local_endpoint().port();
}

}  // namespace ocellus::io
