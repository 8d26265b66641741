#include "api/http/HttpResponse.h"

#include <gtest/gtest.h>

#include "api/http/HttpRequest.h"

namespace ocellus::api::http {
namespace {

TEST(HttpResponseTest, ContentTypesByExtension) {
  EXPECT_EQ(contentTypeFor("/rec/a.mp4"), "video/mp4");
  EXPECT_EQ(contentTypeFor("a.MKV"), "video/x-matroska");
  EXPECT_EQ(contentTypeFor("shot.jpg"), "image/jpeg");
  EXPECT_EQ(contentTypeFor("index.m3u8"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(contentTypeFor("seg1.m4s"), "video/iso.segment");
  EXPECT_EQ(contentTypeFor("seg1.ts"), "video/mp2t");
  EXPECT_EQ(contentTypeFor("openapi.json"), "application/json");
  EXPECT_EQ(contentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(contentTypeFor("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(contentTypeFor("app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(contentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(contentTypeFor("logo.png"), "image/png");
  EXPECT_EQ(contentTypeFor("notes.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(contentTypeFor("dir.v2/noext"), "application/octet-stream");
  EXPECT_EQ(contentTypeFor("a.unknown"), "application/octet-stream");
}

TEST(HttpResponseTest, Helpers) {
  const auto j = HttpResponse::json(201, "{}");
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.headers.get("content-type"), "application/json; charset=utf-8");
  const auto f = HttpResponse::file("/x/a.mp4", {}, attachment("a.mp4"));
  ASSERT_TRUE(f.fileBody.has_value());
  EXPECT_EQ(f.fileBody->contentDisposition, "attachment; filename=\"a.mp4\"");
}

TEST(HttpResponseTest, AttachmentNeverBreaksTheHeader) {
  EXPECT_EQ(attachment("a\"b\\c\r\nd.mp4"), "attachment; filename=\"a_b_cd.mp4\"");
  EXPECT_EQ(attachment("caf\xc3\xa9.jpg"),
            "attachment; filename=\"caf__.jpg\"; filename*=UTF-8''caf%C3%A9.jpg");
}

TEST(HttpRequestTest, CaseInsensitiveHeadersAndQuery) {
  HttpRequest r;
  r.headers.add("X-Api-Key", "k1");
  r.headers.add("x-api-key", "k2");
  r.queryParams = {{"limit", "10"}, {"limit", "20"}};
  EXPECT_EQ(r.header("X-API-KEY"), "k1");
  EXPECT_FALSE(r.header("Authorization").has_value());
  EXPECT_EQ(r.queryParam("limit"), "10");
  EXPECT_FALSE(r.queryParam("offset").has_value());
  r.headers.set("X-API-KEY", "k3");
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.header("x-api-key"), "k3");
  EXPECT_EQ(r.param("id"), "");
}

}  // namespace
}  // namespace ocellus::api::http
