#include "proto/rtsp/Response.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

TEST(ResponseTest, ForRequestEchoesCSeq) {
  Request req;
  req.method = "OPTIONS";
  req.uri = "*";
  req.headers.add("CSeq", "1");
  auto r = Response::forRequest(req);
  r.headers.add("Public", "DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE");
  // RFC 2326 §10.1.
  EXPECT_EQ(r.toString(),
            "RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE\r\n\r\n");
}

TEST(ResponseTest, ReasonPhrases) {
  EXPECT_EQ(Response::withStatus(454).reason, "Session Not Found");
  EXPECT_EQ(Response::withStatus(461).reason, "Unsupported transport");
  EXPECT_EQ(Response::withStatus(431).reason, "Request Header Fields Too Large");
  EXPECT_EQ(reasonPhrase(505), "RTSP Version not supported");
  EXPECT_EQ(reasonPhrase(299), "Unknown");
  auto r = Response::withStatus(404);
  r.body = "gone";
  EXPECT_EQ(r.toString(), "RTSP/1.0 404 Not Found\r\nContent-Length: 4\r\n\r\ngone");
}

}  // namespace
}  // namespace ocellus::proto::rtsp
