#include "api/http/Router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace ocellus::api::http {
namespace {

Router::Handler tagged(std::string tag, std::string* out) {
  return [tag = std::move(tag), out](HttpRequest&, Reply reply) {
    *out = tag;
    reply(HttpResponse::text(200, tag));
  };
}

// Runs the matched handler and returns the tag it wrote.
std::string run(const Router::Match& m, std::string* out) {
  HttpRequest req;
  std::optional<HttpResponse> got;
  (*m.handler)(req, Reply([&](std::optional<HttpResponse> r) { got = std::move(r); }));
  EXPECT_TRUE(got.has_value());
  return *out;
}

TEST(RouterTest, ExactRoutesWinOverParameters) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/api/v1/cameras/:id", tagged("param", &hit));
  r.add(Method::Get, "/api/v1/cameras/export", tagged("exact", &hit));
  r.add(Method::Get, "/api/v1/cameras/:id/status", tagged("status", &hit));

  auto m = r.match(Method::Get, "/api/v1/cameras/export");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(run(m, &hit), "exact");
  EXPECT_TRUE(m.params.empty());

  m = r.match(Method::Get, "/api/v1/cameras/cam-7f3a");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(run(m, &hit), "param");
  EXPECT_EQ(m.params.at("id"), "cam-7f3a");

  m = r.match(Method::Get,
              "/api/v1/cameras/export/status");  // literal branch dead-ends, param branch matches
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(run(m, &hit), "status");
  EXPECT_EQ(m.params.at("id"), "export");
}

TEST(RouterTest, ParametersAreDecodedPerSegment) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/users/:user/tokens/:token", tagged("t", &hit));
  const auto m = r.match(Method::Get, "/users/a%2Fb/tokens/x%20y");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(m.params.at("user"), "a/b");  // an escaped '/' does not split the segment
  EXPECT_EQ(m.params.at("token"), "x y");
}

TEST(RouterTest, WildcardTakesTheRest) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/files/recordings/*", tagged("rec", &hit));
  r.add(Method::Get, "/files/recordings/index.json", tagged("index", &hit));

  auto m = r.match(Method::Get, "/files/recordings/cam0/2025/a%20b.mp4");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(run(m, &hit), "rec");
  EXPECT_EQ(m.params.at("*"), "cam0/2025/a b.mp4");

  m = r.match(Method::Get, "/files/recordings/index.json");
  EXPECT_EQ(run(m, &hit), "index");

  m = r.match(Method::Get, "/files/recordings");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(m.params.at("*"), "");

  EXPECT_EQ(r.match(Method::Get, "/files/snapshots/a.jpg").kind, Router::Match::Kind::NotFound);
}

TEST(RouterTest, WildcardWithSuffix) {
  std::string hit;
  Router r;
  r.add(Method::Post, "/*/whep", tagged("whep", &hit));
  r.add(Method::Get, "/*/index.m3u8", tagged("hls", &hit));
  r.add(Method::Get, "/*", tagged("page", &hit));
  r.add(Method::Get, "/api/v1/cameras", tagged("api", &hit));

  auto m = r.match(Method::Post, "/cameras/door%20one/whep");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(run(m, &hit), "whep");
  EXPECT_EQ(m.params.at("*"), "cameras/door one");

  m = r.match(Method::Get, "/demo/index.m3u8");
  EXPECT_EQ(run(m, &hit), "hls");
  EXPECT_EQ(m.params.at("*"), "demo");

  // A path that is only the suffix has nothing for the wildcard: the plain "*" route takes it.
  m = r.match(Method::Get, "/index.m3u8");
  EXPECT_EQ(run(m, &hit), "page");
  EXPECT_EQ(m.params.at("*"), "index.m3u8");
  EXPECT_EQ(r.match(Method::Post, "/whep").kind, Router::Match::Kind::MethodNotAllowed);

  m = r.match(Method::Get, "/a/whep/more");
  EXPECT_EQ(run(m, &hit), "page");
  EXPECT_EQ(r.match(Method::Post, "/a/whep/x").kind, Router::Match::Kind::MethodNotAllowed);
  EXPECT_EQ(r.match(Method::Patch, "/a/b/whep").kind, Router::Match::Kind::MethodNotAllowed);

  EXPECT_EQ(run(r.match(Method::Get, "/api/v1/cameras"), &hit), "api");
  m = r.match(Method::Get, "/demo/whep");
  EXPECT_EQ(run(m, &hit), "page");  // GET is not routed on the suffix: the "*" route has it
}

TEST(RouterTest, NotFoundVersusMethodNotAllowed) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/api/v1/cameras", tagged("list", &hit));
  r.add(Method::Post, "/api/v1/cameras", tagged("create", &hit));
  r.add(Method::Delete, "/api/v1/cameras/:id", tagged("delete", &hit));

  EXPECT_EQ(r.match(Method::Get, "/api/v1/nothing").kind, Router::Match::Kind::NotFound);
  EXPECT_EQ(r.match(Method::Get, "/api/v1/cameras/a/b").kind, Router::Match::Kind::NotFound);

  const auto m = r.match(Method::Put, "/api/v1/cameras");
  ASSERT_EQ(m.kind, Router::Match::Kind::MethodNotAllowed);
  EXPECT_EQ(Router::allowHeader(m.allowed), "GET, HEAD, POST, OPTIONS");

  const auto d = r.match(Method::Get, "/api/v1/cameras/c1");
  ASSERT_EQ(d.kind, Router::Match::Kind::MethodNotAllowed);
  EXPECT_EQ(Router::allowHeader(d.allowed), "DELETE, OPTIONS");

  EXPECT_EQ(r.match(Method::Other, "/api/v1/cameras").kind, Router::Match::Kind::MethodNotAllowed);
}

TEST(RouterTest, MoreSpecificRouteWithoutTheMethodGivesWay) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/recordings/export", tagged("export", &hit));
  r.add(Method::Delete, "/recordings/:id", tagged("delete", &hit));
  const auto m = r.match(Method::Delete, "/recordings/export");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(run(m, &hit), "delete");
  EXPECT_EQ(m.params.at("id"), "export");
}

TEST(RouterTest, HeadFallsBackToGet) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/a", tagged("get", &hit));
  const auto m = r.match(Method::Head, "/a");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(run(m, &hit), "get");
}

TEST(RouterTest, RootAndEmptySegments) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/", tagged("root", &hit));
  r.add(Method::Get, "/a/b", tagged("ab", &hit));
  EXPECT_EQ(run(r.match(Method::Get, "/"), &hit), "root");
  EXPECT_EQ(run(r.match(Method::Get, "//a//b/"), &hit), "ab");
}

TEST(RouterTest, WildcardWithAParameterLast) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/*/index.m3u8", tagged("playlist", &hit), RouteKind::Media);
  r.add(Method::Get, "/*/:file", tagged("file", &hit), RouteKind::Media);
  r.add(Method::Get, "/*", tagged("page", &hit));

  auto m = r.match(Method::Get, "/cameras/door/seg12.mp4");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(run(m, &hit), "file");
  EXPECT_EQ(m.routeKind, RouteKind::Media);
  EXPECT_EQ(m.params.at("*"), "cameras/door");
  EXPECT_EQ(m.params.at("file"), "seg12.mp4");
  // A literal suffix beats the parameter; one segment alone is the wildcard's.
  EXPECT_EQ(run(r.match(Method::Get, "/demo/index.m3u8"), &hit), "playlist");
  m = r.match(Method::Get, "/demo");
  EXPECT_EQ(run(m, &hit), "page");
  EXPECT_EQ(m.params.at("*"), "demo");
  EXPECT_EQ(m.routeKind, RouteKind::Api);
}

TEST(RouterTest, EachRouteGetsItsOwnParameters) {
  using Params = std::map<std::string, std::string, std::less<>>;
  std::string hit;
  Router r;
  r.add(Method::Get, "/u/:user/*/:file", tagged("file", &hit));
  r.add(Method::Get, "/p/:a/q", tagged("a", &hit));
  r.add(Method::Get, "/:b/r/:c", tagged("bc", &hit));
  r.add(Method::Get, "/:id/x/:id", tagged("id", &hit));
  const auto params = [&r](std::string_view path) {
    auto m = r.match(Method::Get, path);
    EXPECT_EQ(m.kind, Router::Match::Kind::Found) << path;
    return m.params;
  };
  // Parameters before the wildcard and after its suffix.
  EXPECT_EQ(params("/u/bob/a/b%20c/d.mp4"), (Params{{"user", "bob"}, {"*", "a/b c"}, {"file", "d.mp4"}}));
  // "/p/:a" takes "r", then finds no "q": the walk backs out, and "/:b/r/:c" takes the path
  // without the "a" it saw on the way.
  EXPECT_EQ(params("/p/r/s"), (Params{{"b", "p"}, {"c", "s"}}));
  // A repeated name keeps the last value.
  EXPECT_EQ(params("/first/x/second"), (Params{{"id", "second"}}));
}

TEST(RouterTest, LongPaths) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/*/:file", tagged("file", &hit));
  r.add(Method::Get, "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t", tagged("literal", &hit));
  std::string path;
  std::string rest;
  for (int i = 0; i < 40; ++i) {
    path += "/s" + std::to_string(i);
    if (i < 39) rest += (i == 0 ? "s" : "/s") + std::to_string(i);
  }
  auto m = r.match(Method::Get, path + "%20");
  ASSERT_EQ(m.kind, Router::Match::Kind::Found);
  EXPECT_EQ(m.params.at("*"), rest);
  EXPECT_EQ(m.params.at("file"), "s39 ");
  m = r.match(Method::Get, "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t");
  EXPECT_EQ(run(m, &hit), "literal");
}

TEST(RouterTest, BadEscapesMatchNothing) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/a/:x", tagged("x", &hit));
  r.add(Method::Get, "/*", tagged("page", &hit));
  for (const std::string_view path :
       {std::string_view("/a/%zz"), std::string_view("/a/b%2"), std::string_view("/a/b%00"),
        std::string_view("/a/b\0c", 6), std::string_view("/%41/x%")}) {
    const auto m = r.match(Method::Get, path);
    EXPECT_EQ(m.kind, Router::Match::Kind::NotFound) << path;
    EXPECT_TRUE(m.allowed.empty());
  }
  EXPECT_EQ(r.match(Method::Get, "/a/%41").params.at("x"), "A");
}

TEST(RouterTest, AllowedIsListedForA405AndForOptions) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/a", tagged("get", &hit));
  r.add(Method::Get, "/b", tagged("get", &hit));
  r.add(Method::Options, "/b", tagged("options", &hit));
  // The kind, then the Allow list.
  const auto allowed = [&r](Method method, std::string_view path) {
    const auto m = r.match(method, path);
    const std::string kind = m.kind == Router::Match::Kind::Found              ? "found"
                             : m.kind == Router::Match::Kind::MethodNotAllowed ? "405"
                                                                               : "404";
    return kind + ": " + Router::allowHeader(m.allowed);
  };
  EXPECT_EQ(allowed(Method::Get, "/a"), "found: ");  // nothing needs an Allow field
  EXPECT_EQ(allowed(Method::Head, "/a"), "found: ");
  EXPECT_EQ(allowed(Method::Options, "/a"), "405: GET, HEAD, OPTIONS");  // the server answers it
  // A route answers it: the list is still there for a preflight.
  EXPECT_EQ(allowed(Method::Options, "/b"), "found: GET, HEAD, OPTIONS");
  EXPECT_EQ(allowed(Method::Delete, "/b"), "405: GET, HEAD, OPTIONS");
  EXPECT_EQ(allowed(Method::Options, "/c"), "404: ");
}

TEST(RouterTest, RejectsBadPatternsAndDuplicates) {
  std::string hit;
  Router r;
  EXPECT_THROW(r.add(Method::Get, "no-slash", tagged("x", &hit)), std::invalid_argument);
  EXPECT_THROW(r.add(Method::Get, "/a/*/:b/c", tagged("x", &hit)), std::invalid_argument);
  EXPECT_THROW(r.add(Method::Get, "/a/*/:b/:c", tagged("x", &hit)), std::invalid_argument);
  EXPECT_THROW(r.add(Method::Get, "/a/*/b/*", tagged("x", &hit)), std::invalid_argument);
  EXPECT_THROW(r.add(Method::Get, "/a/:", tagged("x", &hit)), std::invalid_argument);
  r.add(Method::Get, "/a/:id", tagged("x", &hit));
  EXPECT_THROW(r.add(Method::Get, "/a/:other", tagged("x", &hit)), std::invalid_argument);
  r.addWebSocket("/ws", [](std::shared_ptr<WsConnection>, const HttpRequest&) {});
  EXPECT_THROW(r.addWebSocket("/ws", [](std::shared_ptr<WsConnection>, const HttpRequest&) {}),
               std::invalid_argument);
}

TEST(RouterTest, ListsRoutesInOrder) {
  std::string hit;
  Router r;
  r.add(Method::Get, "/api/v1/cameras", tagged("x", &hit));
  r.add(Method::Post, "/api/v1/cameras", tagged("x", &hit));
  r.add(Method::Get, "/files/recordings/*", tagged("x", &hit));
  r.addWebSocket("/ws", [](std::shared_ptr<WsConnection>, const HttpRequest&) {});
  const auto routes = r.routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[1].method, Method::Post);
  EXPECT_EQ(routes[2].pattern, "/files/recordings/*");
  EXPECT_EQ(r.webSocketPaths(), std::vector<std::string>{"/ws"});
  EXPECT_NE(r.webSocket("/ws"), nullptr);
  EXPECT_EQ(r.webSocket("/ws/x"), nullptr);
}

TEST(ReplyTest, DroppedReplyReportsNullopt) {
  int calls = 0;
  bool dropped = false;
  {
    Reply reply([&](std::optional<HttpResponse> r) {
      ++calls;
      dropped = !r.has_value();
    });
  }
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(dropped);
}

TEST(ReplyTest, SecondCallIsIgnored) {
  int calls = 0;
  Reply reply([&](std::optional<HttpResponse>) { ++calls; });
  Reply moved = std::move(reply);
  EXPECT_FALSE(static_cast<bool>(reply));  // NOLINT(bugprone-use-after-move)
  moved(HttpResponse::empty(204));
  moved(HttpResponse::empty(204));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace ocellus::api::http
