// The web dashboard (DESIGN §7): web/, built by Vite and embedded whole by CMakeLists.txt (or a
// page saying it was not built, with OCELLUS_WEB off). GET / is the page; GET /assets/<file> its
// scripts and styles, whose names carry a hash of their content: they are cached for a year,
// while the page is revalidated on every load so that a new build reaches browsers at once.
// Compressible files go out as their precompressed gzip copies to clients that accept gzip.
//
// "/assets/*" is more specific than the player page route "/*" (WebRtcRoutes.cpp) and the HLS
// routes "/*/…", so a stream path named "assets" has no player page or HLS over HTTP.
#include "api/ControlPlaneImpl.h"
#include "api/http/Precompressed.h"
#include "embedded/dashboardFiles.h"

namespace ocellus::api {

using http::HttpRequest;
using http::HttpResponse;
using http::Method;

namespace {

// What the page may load (CSP Level 3): scripts and styles from files only (no inline code, no
// eval); images and media also from blob: and data: (snapshots, hls.js's MediaSource), workers
// from blob:. connect-src 'self' covers fetch and the same-origin WebSocket /ws: CSP Level 3
// matches ws: and wss: URLs of the page's host against 'self' (§6.7.2.8; Level 2 did not, nor
// did Safari before 2022). No framing by other sites (clickjacking), and <base> and forms may not
// point elsewhere.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'";
constexpr std::string_view kPageCache = "no-cache";
constexpr std::string_view kAssetCache = "public, max-age=31536000, immutable";

HttpResponse dashboardFile(const HttpRequest& request, std::string_view name, std::string_view cacheControl) {
  auto file = http::precompressedFile(dashboardFiles(), name, request.header("Accept-Encoding"), cacheControl);
  if (!file) {
    throw ApiError{404, "NOT_FOUND", "nothing is served at " + request.path, boost::json::object{{"path", request.path}}};
  }
  return std::move(file->setHeader("X-Content-Type-Options", "nosniff"));
}

}  // namespace

void ControlPlane::Impl::addDashboardRoutes(http::Router& router) {
  add(router, Method::Get, "/", [](HttpRequest& request) {
    return dashboardFile(request, "index.html", kPageCache)
        .setHeader("Content-Security-Policy", std::string(kContentSecurityPolicy))
        .setHeader("Referrer-Policy", "same-origin");
  });
  add(router, Method::Get, "/assets/*", [](HttpRequest& request) {
    return dashboardFile(request, "assets/" + std::string(request.param("*")), kAssetCache);
  });
}

}  // namespace ocellus::api
