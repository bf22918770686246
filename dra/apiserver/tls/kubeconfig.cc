#include <cstdio>
#include <string>
#include <string_view>

#include "dra/apiserver/tls/openssl_util.h"
#include "dra/apiserver/tls/tls.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using tls_internal::Base64Encode;

// A YAML double-quoted scalar (JSON-compatible escapes).
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

absl::Status WriteKubeconfig(const std::filesystem::path& path, std::string_view server_url,
                             const Credentials* credentials) {
  const std::string_view scheme = credentials != nullptr ? "https://" : "http://";
  if (!StartsWith(server_url, scheme) || server_url.size() == scheme.size()) {
    return absl::InvalidArgumentError(StrCat("kubeconfig server URL ", GoQuote(server_url),
                                             " must start with ", GoQuote(scheme)));
  }
  std::string yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: dra\n  cluster:\n";
  StrAppend(&yaml, "    server: ", Quote(server_url), "\n");
  if (credentials != nullptr) {
    StrAppend(&yaml, "    certificate-authority-data: ", Base64Encode(credentials->ca_cert_pem),
              "\n");
  }
  StrAppend(&yaml, "users:\n- name: ", kAdminUser, "\n");
  if (credentials != nullptr) {
    StrAppend(&yaml, "  user:\n", "    token: ", Quote(credentials->admin_token), "\n",
              "    client-certificate-data: ", Base64Encode(credentials->admin_cert_pem), "\n",
              "    client-key-data: ", Base64Encode(credentials->admin_key_pem), "\n");
  } else {
    StrAppend(&yaml, "  user: {}\n");
  }
  StrAppend(&yaml, "contexts:\n- name: dra\n  context:\n    cluster: dra\n    user: ", kAdminUser,
            "\ncurrent-context: dra\npreferences: {}\n");
  return WriteFileAtomically(path, yaml, 0600);
}

}  // namespace dra::apiserver
