#include "app/peer_tls.hpp"

#include <memory>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "caf/io/middleman.hpp"
#include "caf/openssl/manager.hpp"

namespace bookstore::app {

namespace {

/// OpenSSL's reasons for the last failure, oldest first.
std::string ssl_errors() {
  std::string text;
  while (auto code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    text += text.empty() ? "" : "; ";
    text += buffer;
  }
  return text.empty() ? "no reason given" : text;
}

/// An encrypted key would make OpenSSL ask for its passphrase on the
/// terminal: refuse it instead.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

template <class T, void (*Free)(T*)> struct freer {
  void operator()(T* p) const { Free(p); }
};
using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, freer<SSL_CTX, SSL_CTX_free>>;
using store_ctx_ptr =
    std::unique_ptr<X509_STORE_CTX, freer<X509_STORE_CTX, X509_STORE_CTX_free>>;

} // namespace

std::optional<std::string> tls_problem(const model::cluster_tls& files) {
  ERR_clear_error();
  ssl_ctx_ptr ctx{SSL_CTX_new(TLS_method())};
  if (!ctx)
    return "cannot start OpenSSL: " + ssl_errors();
  SSL_CTX_set_default_passwd_cb(ctx.get(), no_passphrase);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), files.cert.c_str()) != 1)
    return "cannot use the tls cert " + files.cert + ": " + ssl_errors();
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), files.key.c_str(),
                                  SSL_FILETYPE_PEM)
      != 1)
    // Also when it is not the certificate's key (OpenSSL checks).
    return "cannot use the tls key " + files.key
           + " (the cert's key, PEM, without passphrase): " + ssl_errors();
  if (SSL_CTX_load_verify_locations(ctx.get(), files.ca.c_str(), nullptr) != 1)
    return "cannot use the tls ca " + files.ca + ": " + ssl_errors();
  // The peers check this node's certificate against the same CA.
  STACK_OF(X509)* chain = nullptr;
  SSL_CTX_get0_chain_certs(ctx.get(), &chain);
  store_ctx_ptr check{X509_STORE_CTX_new()};
  if (!check
      || X509_STORE_CTX_init(check.get(), SSL_CTX_get_cert_store(ctx.get()),
                             SSL_CTX_get0_certificate(ctx.get()), chain)
             != 1)
    return "cannot check the tls cert: " + ssl_errors();
  if (X509_verify_cert(check.get()) != 1)
    return "the tls cert " + files.cert + " is not signed by the tls ca "
           + files.ca + ": "
           + X509_verify_cert_error_string(
               X509_STORE_CTX_get_error(check.get()));
  return std::nullopt;
}

void use_peer_tls(caf::actor_system_config& cfg,
                  const model::cluster_tls& files) {
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = files.cert;
  cfg.openssl_key = files.key;
  cfg.openssl_cafile = files.ca;
}

} // namespace bookstore::app
