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

// Sends `data` as datagrams of `segmentSize` bytes (the last may be shorter) in one non-blocking
// sendmsg with UDP GSO (UDP_SEGMENT, Linux 4.18): the packets cross the stack once as a train,
// split as late as the device allows. At most kMaxSegments segments and kMaxSegmentsBytes bytes.
// Returns 0 or the errno of the failure: EAGAIN/ENOBUFS for a full buffer; EIO, EINVAL or
// ENOPROTOOPT when the socket or the route cannot do GSO (send the datagrams one by one then).
inline constexpr std::size_t kMaxSegments = 64;          // the kernel's UDP_MAX_SEGMENTS
inline constexpr std::size_t kMaxSegmentsBytes = 65000;  // under IPv4's 65507 payload bytes
int sendSegments(boost::asio::ip::udp::socket& socket, const boost::asio::ip::udp::endpoint& to,
                 std::span<const std::uint8_t> data, std::size_t segmentSize);

}  // namespace ocellus::io
