#include "TimestampedSocket.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace ocellus::bench::api {

void TimestampedSocket::enableTimestamps() {
  const int on = 1;
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
}

void TimestampedSocket::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

std::size_t TimestampedSocket::receive(std::span<iovec> iov, boost::system::error_code& ec) {
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr msg{};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(socket_.native_handle(), &msg, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    ec = errno == EAGAIN || errno == EWOULDBLOCK ? boost::asio::error::would_block
                                                 : boost::system::error_code(errno, boost::system::system_category());
    return 0;
  }
  if (n == 0) {
    ec = boost::asio::error::eof;
    return 0;
  }
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      lastReceiveNs_ = static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }
  }
  ec = {};
  return static_cast<std::size_t>(n);
}

void teardown(boost::beast::role_type role, TimestampedSocket& s, boost::system::error_code& ec) {
  boost::beast::websocket::teardown(role, s.socket(), ec);
}

void beast_close_socket(TimestampedSocket& s) { s.close(); }

}  // namespace ocellus::bench::api
