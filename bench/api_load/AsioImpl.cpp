// Asio and Beast compiled once for the whole client (BOOST_ASIO_SEPARATE_COMPILATION,
// BOOST_BEAST_SEPARATE_COMPILATION are set on the target).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
