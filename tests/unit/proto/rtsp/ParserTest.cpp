#include "proto/rtsp/Parser.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "base/ByteReader.h"
#include "format/sdp/SessionDescription.h"
#include "proto/rtsp/Transport.h"
#include "proto/rtsp/Url.h"
#include "unit/TestData.h"

namespace ocellus::proto::rtsp {
namespace {

using namespace std::string_literals;

std::string readCapture(const std::string& name) {
  const auto bytes = test::readTestData("rtsp/" + name);
  return {bytes.begin(), bytes.end()};
}

// One line per event, comparable across runs (frame payloads are copied before the next feed).
std::string describe(const Parser::Event& e) {
  if (const auto* q = std::get_if<Request>(&e)) return "Q " + q->toString();
  if (const auto* s = std::get_if<Response>(&e)) return "S " + s->toString();
  if (const auto* f = std::get_if<InterleavedFrame>(&e)) {
    return "$" + std::to_string(f->channel) + " " + std::string(base::asChars(f->payload));
  }
  if (const auto* err = std::get_if<ParseError>(&e)) return "E " + std::to_string(err->status);
  return "need more";
}

// Drains the parser; stops at NeedMore or after the first error, which it reports once.
void drain(Parser& p, std::vector<std::string>& out) {
  if (!out.empty() && out.back().starts_with("E ")) return;
  while (true) {
    auto e = p.next();
    if (std::holds_alternative<NeedMore>(e)) return;
    out.push_back(describe(e));
    if (std::holds_alternative<ParseError>(e)) return;
  }
}

std::vector<std::string> parseAll(std::string_view stream) {
  Parser p;
  std::vector<std::string> out;
  p.feed(base::asBytes(stream));
  drain(p, out);
  return out;
}

std::vector<Parser::Event> events(std::string_view stream, Parser& p) {
  p.feed(base::asBytes(stream));
  std::vector<Parser::Event> out;
  while (true) {
    auto e = p.next();
    if (std::holds_alternative<NeedMore>(e)) return out;
    const bool error = std::holds_alternative<ParseError>(e);
    out.push_back(std::move(e));
    if (error) return out;
  }
}

int errorStatus(std::string_view stream) {
  Parser p;
  auto ev = events(stream, p);
  if (ev.empty() || !std::holds_alternative<ParseError>(ev.back())) return 0;
  return std::get<ParseError>(ev.back()).status;
}

std::string frame(std::uint8_t channel, std::string_view payload) {
  std::string s = "$";
  s += static_cast<char>(channel);
  s += static_cast<char>(payload.size() >> 8);
  s += static_cast<char>(payload.size() & 0xff);
  return s + std::string(payload);
}

// RFC 2326 §10.12, the server's side (the example's RTP-Info seq does not fit 16 bits; the
// message parser does not care).
const std::string kRfcInterleaved =
    "RTSP/1.0 200 OK\r\nCSeq: 2\r\nDate: 05 Jun 1997 18:57:18 GMT\r\nTransport: "
    "RTP/AVP/TCP;interleaved=0-1\r\n"
    "Session: 12345678\r\n\r\n"
    "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 12345678\r\nDate: 05 Jun 1997 18:59:15 GMT\r\n"
    "RTP-Info: url=rtsp://foo.com/bar.file;\r\n  seq=232433;rtptime=972948234\r\n\r\n" +
    frame(0, "\x80\x60rtp-one") + frame(0, "\x80\x60rtp-two") + frame(1, "\x80\xc8rtcp");

TEST(ParserTest, Rfc2326InterleavedExample) {
  Parser p;
  auto ev = events(kRfcInterleaved, p);
  ASSERT_EQ(ev.size(), 5u);
  const auto& setup = std::get<Response>(ev[0]);
  EXPECT_EQ(setup.status, 200);
  EXPECT_EQ(setup.reason, "OK");
  EXPECT_EQ(setup.headers.cseq(), 2u);
  EXPECT_EQ(setup.headers.get("transport"), "RTP/AVP/TCP;interleaved=0-1");
  const auto& play = std::get<Response>(ev[1]);
  // Folded continuation line joined with one space (RFC 2616 §2.2).
  EXPECT_EQ(play.headers.get("RTP-Info"), "url=rtsp://foo.com/bar.file; seq=232433;rtptime=972948234");
  EXPECT_EQ(std::get<InterleavedFrame>(ev[2]).channel, 0);
  EXPECT_EQ(base::asChars(std::get<InterleavedFrame>(ev[3]).payload), "\x80\x60rtp-two");
  EXPECT_EQ(std::get<InterleavedFrame>(ev[4]).channel, 1);
  EXPECT_EQ(base::asChars(std::get<InterleavedFrame>(ev[4]).payload), "\x80\xc8rtcp");
}

TEST(ParserTest, Rfc2326UnicastExampleWithFoldedTransport) {
  const std::string stream =
      "SETUP rtsp://audio.example.com/twister/audio.en RTSP/1.0\r\nCSeq: 1\r\n"
      "Transport: RTP/AVP/UDP;unicast;client_port=3056-3057\r\n\r\n"
      "RTSP/1.0 200 OK\r\nCSeq: 1\r\nSession: 12345678\r\nTransport: "
      "RTP/AVP/UDP;unicast;client_port=3056-3057;\r\n"
      "           server_port=5000-5001\r\n\r\n";
  Parser p;
  auto ev = events(stream, p);
  ASSERT_EQ(ev.size(), 2u);
  const auto& setup = std::get<Request>(ev[0]);
  EXPECT_EQ(setup.method, "SETUP");
  EXPECT_EQ(setup.uri, "rtsp://audio.example.com/twister/audio.en");
  EXPECT_EQ(setup.version, "RTSP/1.0");
  auto t = Transport::parse(*std::get<Response>(ev[1]).headers.get("Transport"));
  ASSERT_TRUE(t.ok()) << t.error().describe();
  EXPECT_EQ(t->serverPort, (PortRange{5000, 5001}));
  EXPECT_EQ(t->clientPort, (PortRange{3056, 3057}));
}

TEST(ParserTest, Rfc2326DescribeWithSdpBody) {
  const auto sdpBytes = test::readTestData("sdp/rfc2326_seminar.sdp");
  const std::string sdp(sdpBytes.begin(), sdpBytes.end());
  const std::string stream =
      "RTSP/1.0 200 OK\r\nCSeq: 312\r\nDate: 23 Jan 1997 15:35:06 GMT\r\n"
      "Content-Type: application/sdp\r\nContent-Length: " +
      std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
  Parser p;
  auto ev = events(stream, p);
  ASSERT_EQ(ev.size(), 1u);
  const auto& r = std::get<Response>(ev[0]);
  EXPECT_EQ(r.body, sdp);
  EXPECT_EQ(r.toString(), stream);
  auto sd = format::sdp::SessionDescription::parse(r.body);
  ASSERT_TRUE(sd.ok());
  EXPECT_EQ(sd->media.size(), 3u);
}

TEST(ParserTest, FfmpegPublishOverTcp) {
  const std::string capture = readCapture("ffmpeg_publish_tcp.client.bin");
  ASSERT_FALSE(capture.empty());
  Parser p;
  auto ev = events(capture, p);
  ASSERT_EQ(ev.size(), 13u);
  std::vector<std::string> methods;
  std::string reserialized;
  int frames = 0;
  for (const auto& e : ev) {
    if (const auto* q = std::get_if<Request>(&e)) {
      methods.push_back(q->method);
      EXPECT_EQ(q->headers.get("User-Agent"), "Lavf59.27.100");
      reserialized += q->toString();
    } else {
      const auto& f = std::get<InterleavedFrame>(e);
      ASSERT_GE(f.payload.size(), 12u);
      EXPECT_EQ(f.payload[0] >> 6, 2) << "RTP/RTCP version";
      EXPECT_LE(f.channel, 1);
      reserialized += frame(f.channel, base::asChars(f.payload));
      ++frames;
    }
  }
  EXPECT_EQ(methods, (std::vector<std::string>{"OPTIONS", "ANNOUNCE", "SETUP", "RECORD", "TEARDOWN"}));
  EXPECT_EQ(frames, 8);
  // ffmpeg writes Content-Length last as we do: the whole stream comes back byte for byte.
  EXPECT_EQ(reserialized, capture);

  const auto& announce = std::get<Request>(ev[1]);
  EXPECT_EQ(announce.headers.get("Content-Type"), "application/sdp");
  auto sd = format::sdp::SessionDescription::parse(announce.body);
  ASSERT_TRUE(sd.ok());
  EXPECT_EQ(sd->media.at(0).control(), "streamid=0");
  auto t = Transport::parse(*std::get<Request>(ev[2]).headers.get("Transport"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->lower, Transport::Lower::Tcp);
  EXPECT_EQ(t->interleaved, (PortRange{0, 1}));
  EXPECT_EQ(t->mode, Transport::Mode::Record);
}

TEST(ParserTest, FfmpegServerResponses) {
  for (const char* name : {"ffmpeg_publish_tcp.server.bin", "ffmpeg_publish_udp.server.bin"}) {
    const std::string capture = readCapture(name);
    ASSERT_FALSE(capture.empty());
    Parser p;
    auto ev = events(capture, p);
    ASSERT_GE(ev.size(), 4u) << name;
    std::string reserialized;
    std::uint32_t cseq = 0;
    for (const auto& e : ev) {
      const auto& r = std::get<Response>(e);
      EXPECT_EQ(r.status, 200);
      EXPECT_EQ(r.headers.cseq(), ++cseq);
      EXPECT_EQ(r.headers.get("Server"), "Lavf59.27.100");
      reserialized += r.toString();
    }
    EXPECT_EQ(reserialized, capture) << name;
  }
  Parser p;
  auto ev = events(readCapture("ffmpeg_publish_udp.server.bin"), p);
  auto t = Transport::parse(*std::get<Response>(ev[2]).headers.get("Transport"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->mode, Transport::Mode::Record);  // ffmpeg writes mode=receive
  EXPECT_EQ(t->source, "127.0.0.1");
  EXPECT_EQ(t->clientPort, (PortRange{10716, 10717}));
  EXPECT_EQ(t->serverPort, (PortRange{5000, 5001}));
}

TEST(ParserTest, FfmpegPlayClientFollowsContentBase) {
  Parser server;
  auto responses = events(readCapture("scripted_play.server.bin"), server);
  ASSERT_GE(responses.size(), 4u);
  const auto& unauthorized = std::get<Response>(responses[1]);
  EXPECT_EQ(unauthorized.status, 401);
  EXPECT_EQ(unauthorized.headers.getAll("www-authenticate").size(), 3u);
  const auto& describe = std::get<Response>(responses[2]);
  auto sd = format::sdp::SessionDescription::parse(describe.body);
  ASSERT_TRUE(sd.ok());
  const std::string trackUrl = resolveControl(*describe.headers.get("Content-Base"), sd->media[0].control());

  Parser client;
  auto requests = events(readCapture("ffmpeg_play_digest.client.bin"), client);
  ASSERT_EQ(requests.size(), 5u);
  const auto& setup = std::get<Request>(requests[3]);
  EXPECT_EQ(setup.method, "SETUP");
  EXPECT_EQ(setup.uri, trackUrl);  // what ffmpeg computed from the same Content-Base and control
  EXPECT_EQ(trackUrl, "rtsp://127.0.0.1:18554/cam/trackID=1");
  EXPECT_TRUE(setup.headers.get("Authorization")->starts_with("Digest username=\"user\""));
}

std::vector<std::string> kStreams() {
  return {kRfcInterleaved, readCapture("ffmpeg_publish_tcp.client.bin"),
          readCapture("scripted_play.server.bin"),
          "OPTIONS * RTSP/1.0\nCSeq: 1\n\n\r\n" + frame(1, "") +
              "GET_PARAMETER rtsp://h/ RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 3\r\n\r\nabc",
          "PLAY rtsp://h/ RTSP/1.0\r\n\r\n" + frame(0, "x") + "\x01junk after a frame"};
}

TEST(ParserTest, EverySplitPointGivesTheSameEvents) {
  for (const auto& stream : kStreams()) {
    const auto expected = parseAll(stream);
    ASSERT_FALSE(expected.empty());
    for (std::size_t split = 0; split <= stream.size(); ++split) {
      Parser p;
      std::vector<std::string> got;
      p.feed(base::asBytes(std::string_view(stream).substr(0, split)));
      drain(p, got);
      p.feed(base::asBytes(std::string_view(stream).substr(split)));
      drain(p, got);
      ASSERT_EQ(got, expected) << "split at " << split;
    }
  }
}

TEST(ParserTest, ByteByByteThroughPrepareAndCommit) {
  for (const auto& stream : kStreams()) {
    Parser p;
    std::vector<std::string> got;
    for (char c : stream) {
      auto space = p.prepare(1);
      ASSERT_EQ(space.size(), 1u);
      space[0] = static_cast<std::uint8_t>(c);
      p.commit(1);
      drain(p, got);
    }
    EXPECT_EQ(got, parseAll(stream));
  }
}

TEST(ParserTest, ToleratesLfAndBlankLinesBetweenMessages) {
  Parser p;
  auto ev = events(
      "\r\n\r\nOPTIONS * RTSP/1.0\nCSeq: 7\nX-Empty:\n\n\n\r\nPLAY rtsp://h/s RTSP/1.0\r\nCSeq: 8\r\n\r\n",
      p);
  ASSERT_EQ(ev.size(), 2u);
  const auto& options = std::get<Request>(ev[0]);
  EXPECT_EQ(options.uri, "*");
  EXPECT_EQ(options.headers.cseq(), 7u);
  EXPECT_EQ(options.headers.get("X-Empty"), "");
  EXPECT_EQ(std::get<Request>(ev[1]).method, "PLAY");
}

TEST(ParserTest, ResponseWithoutReasonAndHeaderSpacing) {
  Parser p;
  auto ev = events("RTSP/1.0 454\r\nCSeq :  9 \r\n\r\n", p);
  ASSERT_EQ(ev.size(), 1u);
  const auto& r = std::get<Response>(ev[0]);
  EXPECT_EQ(r.status, 454);
  EXPECT_EQ(r.reason, "");
  EXPECT_EQ(r.headers.cseq(), 9u);
}

TEST(ParserTest, BodyWaitsForContentLength) {
  Parser p;
  EXPECT_TRUE(events("ANNOUNCE rtsp://h/s RTSP/1.0\r\nContent-Length: 5\r\n\r\nab", p).empty());
  auto ev = events("cde$", p);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(std::get<Request>(ev[0]).body, "abcde");
  EXPECT_TRUE(events(std::string("\x02\x00", 2), p).empty());
  ev = events(std::string("\x01z", 2), p);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(std::get<InterleavedFrame>(ev[0]).channel, 2);
  EXPECT_EQ(base::asChars(std::get<InterleavedFrame>(ev[0]).payload), "z");
}

TEST(ParserTest, MalformedInputGetsBadRequest) {
  EXPECT_EQ(errorStatus("\x16\x03\x01\x02\x00"), 400);         // a TLS ClientHello on the plain port
  EXPECT_EQ(errorStatus(" OPTIONS * RTSP/1.0\r\n\r\n"), 400);  // leading space
  EXPECT_EQ(errorStatus("hello\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS RTSP/1.0\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS a b RTSP/1.0\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/1.0\r\nNoColon\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/1.0\r\n continued\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/1.0\r\nBad Name: x\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/1.0\r\nX: a\rb\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/1.0\r\nX: a\0b\r\n\r\n"s), 400);
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/1.0\r\nContent-Length: x\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/1.0\r\nContent-Length: -1\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/1.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("RTSP/1.0 20 OK\r\n\r\n"), 400);
  EXPECT_EQ(errorStatus("RTSP/1.0 2000 OK\r\n\r\n"), 400);
}

TEST(ParserTest, OtherVersionsGet505) {
  EXPECT_EQ(errorStatus("OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n"), 505);
  EXPECT_EQ(errorStatus("RTSP/2.0 200 OK\r\n\r\n"), 505);
}

TEST(ParserTest, ErrorIsSticky) {
  Parser p;
  auto ev = events("\x01garbage", p);
  ASSERT_EQ(ev.size(), 1u);
  p.feed(base::asBytes(std::string_view("OPTIONS * RTSP/1.0\r\n\r\n")));
  EXPECT_EQ(std::get<ParseError>(p.next()).status, 400);
}

TEST(ParserTest, Limits) {
  const std::string longUri(Parser::kMaxStartLine, 'a');
  // Detected before the line ends: token garbage without a newline does not grow forever.
  EXPECT_EQ(errorStatus("OPTIONS rtsp://h/" + longUri), 414);
  EXPECT_EQ(errorStatus("OPTIONS rtsp://h/" + longUri + " RTSP/1.0\r\n\r\n"), 414);
  EXPECT_EQ(errorStatus("OPTIONS rtsp://h/" + longUri.substr(0, 4000) + " RTSP/1.0\r\n\r\n"), 0);

  std::string head = "OPTIONS * RTSP/1.0\r\n";
  for (std::size_t i = 0; i < Parser::kMaxHeaderLines; ++i) head += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(errorStatus(head + "\r\n"), 0);
  EXPECT_EQ(errorStatus(head + "X-Last: v\r\n\r\n"), 431);

  std::string big = "OPTIONS * RTSP/1.0\r\n";
  for (int i = 0; i < 5; ++i) big += "X-" + std::to_string(i) + ": " + std::string(3500, 'v') + "\r\n";
  EXPECT_EQ(errorStatus(big), 431);  // before the head is complete

  const std::string body(Parser::kMaxBody, 'b');
  Parser p;
  auto ev = events("SET_PARAMETER * RTSP/1.0\r\nContent-Length: 65536\r\n\r\n" + body, p);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(std::get<Request>(ev[0]).body.size(), Parser::kMaxBody);
  EXPECT_EQ(errorStatus("SET_PARAMETER * RTSP/1.0\r\nContent-Length: 65537\r\n\r\n"), 413);
  EXPECT_EQ(errorStatus("SET_PARAMETER * RTSP/1.0\r\nContent-Length: 99999999999999999999\r\n\r\n"), 413);
}

}  // namespace
}  // namespace ocellus::proto::rtsp
