#include "dra/client/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::client {
namespace {

namespace fs = std::filesystem;

// Reads a whole file; NotFound / PermissionDenied etc. carry strerror.
absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    std::string message = dra::StrCat("open ", path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(message);
    if (err == EACCES) return absl::PermissionDeniedError(message);
    return absl::InvalidArgumentError(message);
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TrimRight(std::string s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.pop_back();
  }
  return s;
}

bool LooksLikePem(const std::string& s) { return dra::StrContains(s, "-----BEGIN "); }

// Whether `n` is present and not null. Type checks on an absent node throw in yaml-cpp, so
// every check goes through this first.
bool Present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

// Parses the kubeconfig document; all yaml-cpp exceptions stay in here.
class Parser {
 public:
  explicit Parser(std::string path) : path_(std::move(path)) {
    dir_ = fs::path(path_).parent_path();
  }

  absl::Status Error(std::string_view detail) const {
    return absl::InvalidArgumentError(dra::StrCat("kubeconfig ", path_, ": ", detail));
  }

  absl::StatusOr<ClusterConfig> Load(const std::string& text, std::string context) {
    try {
      YAML::Node root = YAML::Load(text);
      if (!root.IsMap()) return Error("not a YAML mapping");
      return Resolve(root, std::move(context));
    } catch (const YAML::Exception& e) {
      return Error(dra::StrCat("invalid YAML: ", e.what()));
    }
  }

 private:
  // The string at node[key], "" when absent; error when not a scalar.
  absl::StatusOr<std::string> Scalar(const YAML::Node& node, const char* key,
                                     std::string_view where) const {
    YAML::Node v = node[key];
    if (!Present(v)) return std::string();
    if (!v.IsScalar()) return Error(dra::StrCat(where, ".", key, ": expected a string"));
    return v.as<std::string>();
  }

  // The entry named `name` in the list `list_key` ("contexts", "clusters", "users"); its
  // `body_key` member ("context", "cluster", "user").
  absl::StatusOr<YAML::Node> Named(const YAML::Node& root, const char* list_key,
                                   const char* body_key, const std::string& name,
                                   std::string_view what) const {
    YAML::Node list = root[list_key];
    if (Present(list) && !list.IsSequence()) {
      return Error(dra::StrCat(list_key, ": expected a list"));
    }
    if (Present(list)) {
      for (const YAML::Node& entry : list) {
        if (!entry.IsMap()) continue;
        YAML::Node n = entry["name"];
        if (Present(n) && n.IsScalar() && n.as<std::string>() == name) {
          YAML::Node body = entry[body_key];
          if (!Present(body)) return YAML::Node(YAML::NodeType::Map);
          if (!body.IsMap()) {
            return Error(
                dra::StrCat(what, " ", GoQuote(name), ": ", body_key, ": expected a mapping"));
          }
          return body;
        }
      }
    }
    return Error(dra::StrCat(what, " ", GoQuote(name), " not found"));
  }

  std::string ResolvePath(const std::string& file) const {
    fs::path p(file);
    if (p.is_relative() && !dir_.empty()) p = dir_ / p;
    return p.string();
  }

  // `<key>-data` (base64) or `<key>` (a file path); "" when neither is set.
  absl::StatusOr<std::string> DataOrFile(const YAML::Node& node, const std::string& key,
                                         const std::string& where, bool pem) const {
    std::string data_key = key + "-data";
    DRA_ASSIGN_OR_RETURN(std::string data, Scalar(node, data_key.c_str(), where));
    std::string out;
    std::string entry;
    if (!data.empty()) {
      entry = dra::StrCat(where, ".", data_key);
      std::string compact;
      for (char c : data) {
        if (c != '\n' && c != '\r' && c != ' ' && c != '\t') compact.push_back(c);
      }
      if (!absl::Base64Unescape(compact, &out))
        return Error(dra::StrCat(entry, ": invalid base64"));
    } else {
      DRA_ASSIGN_OR_RETURN(std::string file, Scalar(node, key.c_str(), where));
      if (file.empty()) return std::string();
      entry = dra::StrCat(where, ".", key);
      absl::StatusOr<std::string> contents = ReadFile(ResolvePath(file));
      if (!contents.ok()) return Error(dra::StrCat(entry, ": ", contents.status().message()));
      out = *std::move(contents);
    }
    if (pem && !LooksLikePem(out)) return Error(dra::StrCat(entry, ": not PEM data"));
    return out;
  }

  absl::StatusOr<ClusterConfig> Resolve(const YAML::Node& root, std::string context) {
    if (context.empty()) {
      DRA_ASSIGN_OR_RETURN(context, Scalar(root, "current-context", "kubeconfig"));
      if (context.empty()) return Error("no context given and current-context is not set");
    }
    DRA_ASSIGN_OR_RETURN(YAML::Node ctx, Named(root, "contexts", "context", context, "context"));
    std::string ctx_where = dra::StrCat("context ", GoQuote(context));
    DRA_ASSIGN_OR_RETURN(std::string cluster_name, Scalar(ctx, "cluster", ctx_where));
    DRA_ASSIGN_OR_RETURN(std::string user_name, Scalar(ctx, "user", ctx_where));
    ClusterConfig config;
    DRA_ASSIGN_OR_RETURN(config.default_namespace, Scalar(ctx, "namespace", ctx_where));
    if (cluster_name.empty()) return Error(dra::StrCat(ctx_where, ": cluster is not set"));

    DRA_ASSIGN_OR_RETURN(YAML::Node cluster,
                         Named(root, "clusters", "cluster", cluster_name, "cluster"));
    std::string cw = dra::StrCat("cluster ", GoQuote(cluster_name));
    DRA_ASSIGN_OR_RETURN(config.server, Scalar(cluster, "server", cw));
    if (config.server.empty()) return Error(dra::StrCat(cw, ": server is not set"));
    DRA_ASSIGN_OR_RETURN(config.ca_pem, DataOrFile(cluster, "certificate-authority", cw, true));
    DRA_ASSIGN_OR_RETURN(std::string insecure, Scalar(cluster, "insecure-skip-tls-verify", cw));
    if (!insecure.empty()) {
      if (insecure == "true" || insecure == "True" || insecure == "TRUE") {
        config.insecure_skip_tls_verify = true;
      } else if (insecure != "false" && insecure != "False" && insecure != "FALSE") {
        return Error(
            dra::StrCat(cw, ".insecure-skip-tls-verify: invalid boolean ", GoQuote(insecure)));
      }
    }
    DRA_ASSIGN_OR_RETURN(config.tls_server_name, Scalar(cluster, "tls-server-name", cw));

    if (user_name.empty()) return config;  // anonymous
    DRA_ASSIGN_OR_RETURN(YAML::Node user, Named(root, "users", "user", user_name, "user"));
    std::string uw = dra::StrCat("user ", GoQuote(user_name));
    DRA_ASSIGN_OR_RETURN(config.token, Scalar(user, "token", uw));
    if (config.token.empty()) {
      DRA_ASSIGN_OR_RETURN(std::string token_file, Scalar(user, "tokenFile", uw));
      if (!token_file.empty()) {
        absl::StatusOr<std::string> token = ReadFile(ResolvePath(token_file));
        if (!token.ok()) {
          return Error(dra::StrCat(uw, ".tokenFile: ", token.status().message()));
        }
        config.token = TrimRight(*std::move(token));
        if (config.token.empty()) return Error(dra::StrCat(uw, ".tokenFile: the file is empty"));
      }
    }
    DRA_ASSIGN_OR_RETURN(config.client_cert_pem, DataOrFile(user, "client-certificate", uw, true));
    DRA_ASSIGN_OR_RETURN(config.client_key_pem, DataOrFile(user, "client-key", uw, true));
    if (config.client_cert_pem.empty() != config.client_key_pem.empty()) {
      return Error(dra::StrCat(uw, config.client_cert_pem.empty()
                                       ? ": client-key is set without client-certificate"
                                       : ": client-certificate is set without client-key"));
    }
    if (config.token.empty() && config.client_cert_pem.empty()) {
      for (const char* plugin : {"exec", "auth-provider"}) {
        YAML::Node p = user[plugin];
        if (Present(p)) {
          return absl::UnimplementedError(
              dra::StrCat("kubeconfig ", path_, ": ", uw, ": ", plugin,
                          " credential plugins are not supported; use a token or a client "
                          "certificate"));
        }
      }
    }
    return config;
  }

  std::string path_;
  fs::path dir_;
};

}  // namespace

absl::StatusOr<ClusterConfig> LoadKubeconfig(std::string path, std::string context) {
  if (path.empty()) return absl::InvalidArgumentError("kubeconfig: no path given");
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        dra::StrCat("kubeconfig ", path, ": ", text.status().message()));
  }
  Parser parser(path);
  return parser.Load(*text, std::move(context));
}

std::string DefaultKubeconfigPath() {
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr) {
    std::string list(env);
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) return list.substr(start, end - start);
      start = end + 1;
    }
  }
  const char* home = std::getenv("HOME");
  return dra::StrCat(home != nullptr ? home : "", "/.kube/config");
}

absl::StatusOr<ClusterConfig> InClusterConfig(std::string service_account_dir) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0') {
    return absl::FailedPreconditionError(
        "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
        "KUBERNETES_SERVICE_PORT must be defined");
  }
  ClusterConfig config;
  std::string h(host);
  if (h.find(':') != std::string::npos) h = dra::StrCat("[", h, "]");  // IPv6 literal
  config.server = dra::StrCat("https://", h, ":", port);
  fs::path dir(service_account_dir);
  absl::StatusOr<std::string> token = ReadFile((dir / "token").string());
  if (!token.ok()) {
    return absl::NotFoundError(dra::StrCat("in-cluster configuration: ", token.status().message()));
  }
  config.token = TrimRight(*std::move(token));
  absl::StatusOr<std::string> ca = ReadFile((dir / "ca.crt").string());
  if (ca.ok()) {
    config.ca_pem = *std::move(ca);
  } else if (!absl::IsNotFound(ca.status())) {
    return absl::Status(ca.status().code(),
                        dra::StrCat("in-cluster configuration: ", ca.status().message()));
  }
  absl::StatusOr<std::string> ns = ReadFile((dir / "namespace").string());
  if (ns.ok()) config.default_namespace = TrimRight(*std::move(ns));
  return config;
}

}  // namespace dra::client
