#include "io/Udp.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <array>

namespace ocellus::io {

base::Result<std::uint16_t> bindUdp(boost::asio::ip::udp::socket& socket, const Address& address) {
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(address.bindHost(), ec);
  if (ec) return base::makeError(base::ErrorCode::InvalidArgument, "bad UDP address " + address.toString());
  const boost::asio::ip::udp::endpoint endpoint(ip, address.port);
  socket.open(endpoint.protocol(), ec);
  if (!ec) socket.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) socket.bind(endpoint, ec);
  if (!ec) socket.non_blocking(true, ec);
  if (!ec) socket.set_option(boost::asio::socket_base::send_buffer_size(4 << 20), ec);
  if (ec) return base::makeError(base::ErrorCode::Io, "cannot bind UDP " + address.toString() + ": " + ec.message());
  return socket.local_endpoint().port();
}

namespace {

// One non-blocking sendmsg of iov to `to`; with segmentSize > 0 the kernel cuts it into datagrams
// of that size (UDP_SEGMENT). 0 or the errno.
int sendMessage(boost::asio::ip::udp::socket& socket, const boost::asio::ip::udp::endpoint& to, iovec* iov,
                std::size_t count, std::size_t segmentSize) {
  msghdr msg{};
  msg.msg_name = const_cast<sockaddr*>(to.data());
  msg.msg_namelen = static_cast<socklen_t>(to.size());
  msg.msg_iov = iov;
  msg.msg_iovlen = count;
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(std::uint16_t))> control{};
  if (segmentSize > 0) {
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
    const auto size = static_cast<std::uint16_t>(segmentSize);
    std::memcpy(CMSG_DATA(c), &size, sizeof size);
  }
  return ::sendmsg(socket.native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0 ? 0 : errno;
}

}  // namespace

bool sendDatagram(boost::asio::ip::udp::socket& socket, const boost::asio::ip::udp::endpoint& to,
                  std::span<const std::span<const std::uint8_t>> parts) {
  std::array<iovec, 8> iov{};
  if (parts.size() > iov.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    iov[i].iov_base = const_cast<std::uint8_t*>(parts[i].data());
    iov[i].iov_len = parts[i].size();
  }
  return sendMessage(socket, to, iov.data(), parts.size(), 0) == 0;
}

int sendSegments(boost::asio::ip::udp::socket& socket, const boost::asio::ip::udp::endpoint& to,
                 std::span<const std::uint8_t> data, std::size_t segmentSize) {
  iovec iov{const_cast<std::uint8_t*>(data.data()), data.size()};
  return sendMessage(socket, to, &iov, 1, segmentSize);
}

}  // namespace ocellus::io
