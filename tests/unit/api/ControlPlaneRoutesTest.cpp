#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

#include "api/ControlPlane.h"
#include "auth/JwtKeys.h"
#include "base/Clock.h"
#include "io/IoContextPool.h"
#include "store/sqlite/SqliteStore.h"
#include "unit/store/TempDir.h"

namespace ocellus::api {
namespace {

namespace json = boost::json;

// "/cameras/{id}", "/cameras/:id", "/files/recordings/*" and "/*/whep" become "/cameras/{}",
// "/files/recordings/{}" and "/{}/whep": parameter names differ between router and document.
std::string normalized(const std::string& path) {
  static const std::regex param(R"(\{[^}/]+\}|:[^/]+|\*(?=/|$))");
  return std::regex_replace(path, param, "{}");
}

std::string serverPath(const json::value* servers) {
  if (!servers || !servers->is_array() || servers->as_array().empty()) return {};
  std::string url(servers->as_array()[0].as_object().at("url").as_string());
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// "METHOD /full/path" of every operation of the OpenAPI document (the file the server embeds).
std::set<std::string> documentedRoutes() {
  std::ifstream in(std::string(OCELLUS_TEST_DATA) + "/../../src/api/openapi.json");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto root = json::parse(text).as_object();
  const auto top = serverPath(root.if_contains("servers"));
  std::set<std::string> routes;
  for (const auto& [path, item] : root.at("paths").as_object()) {
    const auto& ops = item.as_object();
    const auto* itemServers = ops.if_contains("servers");
    for (const auto& [method, op] : ops) {
      if (!op.is_object() || method == "servers" || method == "parameters") continue;
      std::string prefix = itemServers ? serverPath(itemServers) : top;
      if (const auto* own = op.as_object().if_contains("servers")) prefix = serverPath(own);
      std::string m(method);
      for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      routes.insert(m + " " + normalized(prefix + std::string(path)));
    }
  }
  return routes;
}

TEST(ControlPlaneRoutes, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  store::TempDir dir;
  auto store = store::sqlite::SqliteStore::open(dir.file("ocellus.db"));
  ASSERT_TRUE(store) << store.error().describe();
  auto keys = auth::JwtKeys::openInDataDir(dir.path());
  ASSERT_TRUE(keys) << keys.error().describe();
  auth::AuthService auth(**store, base::Clock::system(), **keys);
  io::IoContextPool loops(1);
  media::StreamRegistry registry;
  sources::SourceManager sources(loops, registry, {});
  server::webrtc::WebRtcServer webrtc(loops, registry, {.udpAddress = io::Address{"127.0.0.1", 0},
                                                        .additionalHosts = {},
                                                        .certificateFile = dir.file("webrtc.pem")});
  ASSERT_TRUE(webrtc.start());
  boost::asio::io_context control;
  server::hls::HlsServer hls(control, registry, {});
  ControlPlane::Options options;
  options.dataDir = dir.path();
  options.http.address = io::Address{"127.0.0.1", 0};
  options.webrtc = &webrtc;
  options.hls = &hls;
  ControlPlane plane(control, **store, auth, registry, sources, options);
  ASSERT_TRUE(plane.start({}));

  std::set<std::string> routed;
  for (const auto& r : plane.routes()) routed.insert(std::string(http::methodName(r.method)) + " " + normalized(r.pattern));
  const auto documented = documentedRoutes();
  ASSERT_GT(routed.size(), 30u);

  for (const auto& r : routed) EXPECT_TRUE(documented.count(r)) << r << " is routed but not in openapi.json";
  for (const auto& r : documented) EXPECT_TRUE(routed.count(r)) << r << " is in openapi.json but not routed";
  // Stopped on its loop, as the application does; the loop then finishes the shutdown.
  boost::asio::post(control, [&plane, &hls] {
    plane.stop();
    hls.stop();
  });
  control.run_for(std::chrono::milliseconds(300));
  sources.stop();
  webrtc.stop();
}

}  // namespace
}  // namespace ocellus::api
