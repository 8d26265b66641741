#include "server/webrtc/WebRtcTcpListener.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <future>
#include <thread>
#include <vector>

#include "proto/webrtc/StunMessage.h"
#include "proto/webrtc/TcpFraming.h"

namespace ocellus::server::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;
using boost::asio::ip::tcp;
namespace pw = proto::webrtc;

Bytes framed(const Bytes& packet) {
  const auto p = pw::TcpFraming::prefix(packet.size());
  Bytes out(p.begin(), p.end());
  out.insert(out.end(), packet.begin(), packet.end());
  return out;
}

Bytes check(std::string_view username) {
  return pw::StunMessage::bindingRequest({.transactionId = pw::StunMessage::randomTransactionId(),
                                          .username = username,
                                          .password = "ocellusTestPassword0123456",
                                          .priority = 1,
                                          .iceControlling = 1});
}

// A listener on its own loop (one thread) with session "sess" registered on the same loop; the
// test talks to it through blocking sockets with a receive timeout (a hang fails, never blocks).
class WebRtcTcpListenerTest : public ::testing::Test {
 protected:
  WebRtcTcpListenerTest() : work_(boost::asio::make_work_guard(loop_)) {
    listener_ = std::make_shared<WebRtcTcpListener>(loop_);
    EXPECT_TRUE(listener_->open({"127.0.0.1", 0}).ok());
    WebRtcTcpConnection::Handlers handlers;
    handlers.onFrame = [this](const std::shared_ptr<WebRtcTcpConnection>& c, std::span<std::uint8_t> frame) {
      frames_.emplace_back(frame.begin(), frame.end());
      connection_ = c;
      if (onFrame_) onFrame_(c);
    };
    handlers.onClosed = [](const std::shared_ptr<WebRtcTcpConnection>&, const std::string&) {};
    listener_->add("sess", loop_, std::move(handlers));
    thread_ = std::thread([this] { loop_.run(); });
  }
  ~WebRtcTcpListenerTest() override {
    boost::asio::post(loop_, [this] {
      if (connection_) connection_->close();
      connection_.reset();
    });
    listener_->close();
    work_.reset();
    loop_.stop();
    thread_.join();
  }

  tcp::socket connect() {
    tcp::socket s(client_);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), listener_->port()});
    const timeval timeout{10, 0};
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return s;
  }
  // Runs fn on the listener's loop and waits for it.
  template <typename Fn>
  auto onLoop(Fn fn) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    boost::asio::post(loop_, [&task] { task(); });
    return result.get();
  }
  // True when the server closed the connection (EOF), false on data or the timeout.
  static bool closedByServer(tcp::socket& s) {
    std::uint8_t byte = 0;
    boost::system::error_code ec;
    s.read_some(boost::asio::buffer(&byte, 1), ec);
    return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  }

  boost::asio::io_context loop_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::io_context client_;
  std::shared_ptr<WebRtcTcpListener> listener_;
  std::thread thread_;
  // The listener's loop only:
  std::vector<Bytes> frames_;
  std::shared_ptr<WebRtcTcpConnection> connection_;
  std::function<void(const std::shared_ptr<WebRtcTcpConnection>&)> onFrame_;
};

TEST_F(WebRtcTcpListenerTest, AFirstCheckNamingTheSessionBindsAndLaterFramesFollow) {
  onFrame_ = [](const std::shared_ptr<WebRtcTcpConnection>& c) {
    const Bytes reply{0xAA, 0xBB};
    c->send(reply);
  };
  auto s = connect();
  const Bytes first = check("sess:peer");
  // The check split across two writes, then a second frame merged with nothing in between.
  Bytes stream = framed(first);
  const Bytes second{0x80, 0x60, 0x00, 0x01};
  const auto more = framed(second);
  stream.insert(stream.end(), more.begin(), more.end());
  boost::asio::write(s, boost::asio::buffer(stream.data(), 7));
  std::this_thread::yield();
  boost::asio::write(s, boost::asio::buffer(stream.data() + 7, stream.size() - 7));
  Bytes reply(8);
  boost::asio::read(s, boost::asio::buffer(reply));  // two framed replies, one per frame
  EXPECT_EQ(reply, (Bytes{0, 2, 0xAA, 0xBB, 0, 2, 0xAA, 0xBB}));
  EXPECT_EQ(onLoop([this] { return frames_; }), (std::vector<Bytes>{first, second}));
}

TEST_F(WebRtcTcpListenerTest, AnUnknownUfragGarbageOrAnOversizedFrameCloseOnlyThatConnection) {
  auto good = connect();
  boost::asio::write(good, boost::asio::buffer(framed(check("sess:peer"))));
  auto unknown = connect();
  boost::asio::write(unknown, boost::asio::buffer(framed(check("other:peer"))));
  EXPECT_TRUE(closedByServer(unknown));
  auto garbage = connect();
  boost::asio::write(garbage, boost::asio::buffer(framed(Bytes(50, 0x42))));
  EXPECT_TRUE(closedByServer(garbage));
  auto oversized = connect();
  const auto p = pw::TcpFraming::prefix(pw::TcpFraming::kMaxFrame + 1);
  boost::asio::write(oversized, boost::asio::buffer(p));
  EXPECT_TRUE(closedByServer(oversized));
  auto zero = connect();
  boost::asio::write(zero, boost::asio::buffer(Bytes{0, 0}));
  EXPECT_TRUE(closedByServer(zero));
  // The bound one still carries frames.
  const Bytes more{0x80, 0x60, 0x00, 0x02};
  boost::asio::write(good, boost::asio::buffer(framed(more)));
  for (int i = 0; i < 200 && onLoop([this] { return frames_.size(); }) < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(onLoop([this] { return frames_.size(); }), 2u);
}

TEST_F(WebRtcTcpListenerTest, ConnectionsBeyondTheUnboundCapAreClosed) {
  std::vector<tcp::socket> waiting;
  for (std::size_t i = 0; i < WebRtcTcpListener::kMaxUnbound; ++i) waiting.push_back(connect());
  auto extra = connect();
  EXPECT_TRUE(closedByServer(extra));
  // The waiting ones may still bind.
  boost::asio::write(waiting.front(), boost::asio::buffer(framed(check("sess:peer"))));
  for (int i = 0; i < 200 && onLoop([this] { return frames_.size(); }) < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(onLoop([this] { return frames_.size(); }), 1u);
}

TEST_F(WebRtcTcpListenerTest, AViewerThatDoesNotReadLosesPacketsNotMemory) {
  std::promise<std::pair<std::size_t, std::uint64_t>> result;
  onFrame_ = [&result](const std::shared_ptr<WebRtcTcpConnection>& c) {
    c->checked();
    // 24 MB at once: far beyond the socket buffers and the queue.
    const Bytes packet(1200, 0x55);
    std::size_t sent = 0;
    for (int i = 0; i < 20000; ++i) sent += c->send(packet) ? 1 : 0;
    result.set_value({sent, c->sendDrops()});
  };
  auto s = connect();  // never reads
  boost::asio::write(s, boost::asio::buffer(framed(check("sess:peer"))));
  auto future = result.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  const auto [sent, drops] = future.get();
  EXPECT_EQ(sent + drops, 20000u);
  EXPECT_GT(drops, 0u);
  // Whatever was accepted is bounded by the queue plus what the kernel took.
  EXPECT_LT(sent * 1202, WebRtcTcpConnection::kMaxQueued + (16u << 20));
}

}  // namespace
}  // namespace ocellus::server::webrtc
