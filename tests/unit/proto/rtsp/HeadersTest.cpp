#include "proto/rtsp/Headers.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

TEST(HeadersTest, CaseInsensitiveOrderedLookup) {
  Headers h;
  h.add("CSeq", "3");
  h.add("WWW-Authenticate", "Digest realm=\"a\"");
  h.add("www-authenticate", "Basic realm=\"a\"");
  EXPECT_EQ(h.get("cseq"), "3");
  EXPECT_EQ(h.cseq(), 3u);
  EXPECT_FALSE(h.get("Session").has_value());
  EXPECT_EQ(h.getAll("WWW-AUTHENTICATE"),
            (std::vector<std::string_view>{"Digest realm=\"a\"", "Basic realm=\"a\""}));

  h.set("Www-Authenticate", "Basic realm=\"b\"");
  ASSERT_EQ(h.all().size(), 2u);
  EXPECT_EQ(h.all()[1], (Header{"WWW-Authenticate", "Basic realm=\"b\""}));
  h.set("Session", "1");
  EXPECT_EQ(h.all().back(), (Header{"Session", "1"}));
  h.remove("cseq");
  EXPECT_FALSE(h.cseq().has_value());
  EXPECT_EQ(h.all().size(), 2u);
}

TEST(HeadersTest, CSeqMustBeANumber) {
  Headers h;
  h.add("CSeq", "x1");
  EXPECT_FALSE(h.cseq().has_value());
  h.set("CSeq", " 42 ");
  EXPECT_EQ(h.cseq(), 42u);
}

TEST(HeadersTest, AppendWithBodySetsContentLengthAndCannotBeSplit) {
  Headers h;
  h.add("Content-Length", "999");
  h.add("X-Evil", "a\r\nInjected: yes");
  std::string out;
  h.appendWithBody(out, "body");
  EXPECT_EQ(out, "X-Evil: a  Injected: yes\r\nContent-Length: 4\r\n\r\nbody");
  out.clear();
  h.appendWithBody(out, "");
  EXPECT_EQ(out, "X-Evil: a  Injected: yes\r\n\r\n");
}

}  // namespace
}  // namespace ocellus::proto::rtsp
