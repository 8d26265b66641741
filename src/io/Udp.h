#pragma once

#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <span>

#include "base/Result.h"
#include "io/Address.h"

namespace ocellus::io {

// Opens `socket` bound to `address` (address reuse on, non-blocking, a 4 MiB send buffer for
// media bursts) and returns the bound port. The error names the address.
base::Result<std::uint16_t> bindUdp(boost::asio::ip::udp::socket& socket, const Address& address);

// Sends the concatenation of `parts` (at most 8) as one datagram: one non-blocking sendmsg,
// safe from any thread. False when the socket buffer is full or the send fails: the caller
// counts the drop.
bool sendDatagram(boost::asio::ip::udp::socket& socket, const boost::asio::ip::udp::endpoint& to,
                  std::span<const std::span<const std::uint8_t>> parts);

}  // namespace ocellus::io
