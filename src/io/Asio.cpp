// Boost.Asio in separate-compilation mode (BOOST_ASIO_SEPARATE_COMPILATION is set for every
// target): its implementation is compiled once, here, instead of in every translation unit.
#include <boost/asio/impl/src.hpp>
