#include "proto/rtsp/Request.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

TEST(RequestTest, SerializesLikeFfmpeg) {
  // The ANNOUNCE header of tests/data/rtsp/ffmpeg_publish_tcp.client.bin.
  Request r;
  r.method = "ANNOUNCE";
  r.uri = "rtsp://127.0.0.1:18561/live";
  r.headers.add("Content-Type", "application/sdp");
  r.headers.add("CSeq", "2");
  r.headers.add("User-Agent", "Lavf59.27.100");
  r.body = std::string(302, 'x');
  EXPECT_EQ(r.toString(),
            "ANNOUNCE rtsp://127.0.0.1:18561/live RTSP/1.0\r\nContent-Type: application/sdp\r\nCSeq: 2\r\n"
            "User-Agent: Lavf59.27.100\r\nContent-Length: 302\r\n\r\n" +
                r.body);
}

TEST(RequestTest, NoContentLengthWithoutBody) {
  Request r;
  r.method = "OPTIONS";
  r.uri = "*";
  r.headers.add("CSeq", "1");
  EXPECT_EQ(r.toString(), "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n");
}

}  // namespace
}  // namespace ocellus::proto::rtsp
