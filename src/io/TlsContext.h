#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "base/Result.h"

namespace ocellus::io {

// A TLS server context from PEM files (certificate chain, private key): TLS 1.2 and later,
// OpenSSL's buffers released while a connection is idle. The error names the file at fault.
// Shared by the servers that speak TLS (HTTPS, RTMPS); immutable once made, so any loop may use it.
base::Result<std::shared_ptr<boost::asio::ssl::context>> makeTlsContext(const std::string& certificateFile,
                                                                       const std::string& keyFile);

}  // namespace ocellus::io
