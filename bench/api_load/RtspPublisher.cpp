#include "RtspPublisher.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cstdlib>

namespace ocellus::bench::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxBody = 64 * 1024;

// One H.264 track, 640x360 Constrained Baseline; the parameter sets are x264's
// (ffmpeg -c:v libx264 -profile:v baseline -flags +global_header -f rtp), RFC 6184 §8.1.
constexpr const char* kSdp =
    "v=0\r\n"
    "o=- 0 0 IN IP4 127.0.0.1\r\n"
    "s=api_load\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=video 0 RTP/AVP 96\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAHtkAoC/5cBEAAAMAAQAAAwA8DxYuSA==,aMuDyyA=;"
    "profile-level-id=42C01E\r\n"
    "a=control:trackID=0\r\n";

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

RtspPublisher::RtspPublisher(const asio::any_io_executor& executor, asio::ip::tcp::endpoint server, std::string url,
                             std::chrono::steady_clock::duration timeout)
    : stream_(executor), server_(server), url_(std::move(url)), timeout_(timeout) {}

std::string RtspPublisher::head(const char* method, const std::string& url) {
  std::string r = std::string(method) + " " + url + " RTSP/1.0\r\nCSeq: " + std::to_string(++cseq_) +
                  "\r\nUser-Agent: ocellus-api_load\r\n";
  if (!session_.empty()) r += "Session: " + session_ + "\r\n";
  return r;
}

asio::awaitable<std::string> RtspPublisher::prepare() {
  stream_.expires_after(timeout_);
  if (auto [e] = co_await stream_.async_connect(server_, kTuple); e) co_return "connect: " + e.message();
  Reply reply;
  const std::string sdp = kSdp;
  const std::string announce =
      head("ANNOUNCE", url_) + "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(sdp.size()) +
      "\r\n\r\n" + sdp;
  if (auto why = co_await exchange(announce, reply); !why.empty()) co_return "ANNOUNCE " + why;
  const std::string setup =
      head("SETUP", url_ + "/trackID=0") + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n";
  if (auto why = co_await exchange(setup, reply); !why.empty()) co_return "SETUP " + why;
  if (reply.session.empty()) co_return std::string("SETUP: no Session header");
  session_ = reply.session;
  co_return std::string();
}

asio::awaitable<std::string> RtspPublisher::record() {
  Reply reply;
  const std::string request = head("RECORD", url_) + "Range: npt=0.000-\r\n\r\n";
  if (auto why = co_await exchange(request, reply); !why.empty()) co_return "RECORD " + why;
  co_return std::string();
}

void RtspPublisher::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
  in_.clear();
  session_.clear();
}

asio::awaitable<std::string> RtspPublisher::exchange(const std::string& request, Reply& reply) {
  stream_.expires_after(timeout_);
  if (auto [e, n] = co_await asio::async_write(stream_, asio::buffer(request), kTuple); e) co_return e.message();
  auto buffer = asio::dynamic_buffer(in_);
  auto [e, headEnd] = co_await asio::async_read_until(stream_, buffer, "\r\n\r\n", kTuple);
  if (e) co_return e.message();
  // Status line "RTSP/1.0 200 OK", then headers (RFC 2326 §7.1).
  const std::string_view head(in_.data(), headEnd);
  const auto space = head.find(' ');
  if (!head.starts_with("RTSP/1.0 ") || space == std::string_view::npos) co_return std::string("bad status line");
  reply.status = std::atoi(head.data() + space + 1);
  std::size_t contentLength = 0;
  for (std::size_t pos = head.find("\r\n"); pos != std::string_view::npos && pos + 2 < head.size();) {
    const auto next = head.find("\r\n", pos + 2);
    const auto line = head.substr(pos + 2, next - pos - 2);
    pos = next;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const auto name = trim(line.substr(0, colon));
    const auto value = trim(line.substr(colon + 1));
    if (equalsIgnoreCase(name, "Content-Length")) contentLength = std::strtoul(std::string(value).c_str(), nullptr, 10);
    if (equalsIgnoreCase(name, "Session")) reply.session = std::string(value.substr(0, value.find(';')));
  }
  if (contentLength > kMaxBody) co_return std::string("body too large");
  if (in_.size() < headEnd + contentLength) {
    auto [e2, n2] = co_await asio::async_read(stream_, buffer, asio::transfer_exactly(headEnd + contentLength - in_.size()),
                                              kTuple);
    if (e2) co_return e2.message();
  }
  in_.erase(0, headEnd + contentLength);
  stream_.expires_never();
  if (reply.status != 200) co_return std::to_string(reply.status);
  co_return std::string();
}

}  // namespace ocellus::bench::api
