#pragma once

// Internal to the HTTP server's .cpp files: the hand-over from an HTTP connection to a
// WebSocket one.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>

#include "api/http/HttpRequest.h"
#include "api/http/Router.h"
#include "api/http/detail/AnyStream.h"
#include "api/http/detail/ServerState.h"

namespace ocellus::api::http::detail {

// Performs the WebSocket handshake for `upgrade` on `stream` and, once it has succeeded, calls
// onOpen with the new connection. On `current`, the loop the HTTP connection (and `stream`) is
// on; onOpen must live as long as the server's router.
void startWebSocket(std::shared_ptr<ServerState> server, net::io_context& current, AnyStream stream,
                    boost::beast::http::request<boost::beast::http::string_body> upgrade, HttpRequest request,
                    const Router::WebSocketHandler& onOpen);

}  // namespace ocellus::api::http::detail
