#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string_view>

#include "base/Result.h"
#include "io/Address.h"

namespace ocellus::io {

// Opens, binds (reuse_address) and listens on `address`; the bound port (the one picked when
// address.port is 0). The error names `what` ("RTSP", "RTMP") and the address.
base::Result<std::uint16_t> listenTcp(boost::asio::ip::tcp::acceptor& acceptor, const Address& address,
                                      std::string_view what);

}  // namespace ocellus::io
