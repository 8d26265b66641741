// Asio's SSL support in separate-compilation mode (see io/Asio.cpp): its implementation is
// compiled once, here.
#include <boost/asio/ssl/impl/src.hpp>

#include "io/TlsContext.h"

#include <openssl/ssl.h>

namespace ocellus::io {

base::Result<std::shared_ptr<boost::asio::ssl::context>> makeTlsContext(const std::string& certificateFile,
                                                                const std::string& keyFile) {
  auto context = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
  boost::system::error_code ec;
  context->set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
                           boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
                           boost::asio::ssl::context::no_tlsv1_1 | boost::asio::ssl::context::single_dh_use,
                       ec);
  if (ec) return base::makeError(base::ErrorCode::Internal, "cannot set TLS options: " + ec.message());
  context->use_certificate_chain_file(certificateFile, ec);
  if (ec) {
    return base::makeError(base::ErrorCode::InvalidArgument, "cannot load the TLS certificate chain '" +
                                                                 certificateFile + "': " + ec.message());
  }
  context->use_private_key_file(keyFile, boost::asio::ssl::context::pem, ec);
  if (ec) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "cannot load the TLS private key '" + keyFile + "': " + ec.message());
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return base::makeError(
        base::ErrorCode::InvalidArgument,
        "the TLS private key '" + keyFile + "' does not match the certificate '" + certificateFile + "'");
  }
  // Idle TLS connections give their record buffers back to OpenSSL's allocator.
  SSL_CTX_set_mode(context->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  return context;
}

}  // namespace ocellus::io
