// Where an API server is and how to authenticate to it: kubeconfig files (as kubectl reads
// them) and the in-cluster service account.
//
// Stateless functions; thread-safe (they read files and the environment).
#ifndef DRA_CLIENT_KUBECONFIG_H_
#define DRA_CLIENT_KUBECONFIG_H_

#include <string>

#include "absl/status/statusor.h"

namespace dra::client {

// Everything RestClient needs to reach one API server. Certificates and keys are PEM text (not
// paths); the token is the bearer token itself.
struct ClusterConfig {
  std::string server;  // "https://host:port[/prefix]" or "http://..."
  std::string ca_pem;  // CA bundle for the server's certificate; empty: the system roots
  bool insecure_skip_tls_verify = false;
  std::string token;  // bearer token; empty: none
  std::string client_cert_pem, client_key_pem;
  // Host name to verify the server's certificate against (and to send as SNI) instead of the
  // host of `server`.
  std::string tls_server_name;
  // The context's namespace ("" when it sets none); callers default it to "default".
  std::string default_namespace;
};

// Reads the kubeconfig at `path` and resolves `context` (the file's current-context when
// empty) to its cluster and user:
// - cluster: server, certificate-authority-data (base64 PEM) or certificate-authority (a file;
//   relative paths are relative to the kubeconfig's directory), insecure-skip-tls-verify,
//   tls-server-name;
// - user: token or tokenFile (file; trailing whitespace trimmed), client-certificate(-data) and
//   client-key(-data) (the -data forms win over the file forms, as in client-go);
// - context: namespace.
// Errors name the file and the entry: NotFound when the file cannot be read (`kubeconfig /x:
// open: No such file or directory`); InvalidArgument for YAML errors, a missing or unknown
// context, cluster or user (`kubeconfig /x: context "foo" not found`), a cluster without
// server, bad base64, non-PEM certificate data, unreadable referenced files, a certificate
// without a key (or the reverse); Unimplemented for a user that only has an exec or
// auth-provider plugin.
absl::StatusOr<ClusterConfig> LoadKubeconfig(std::string path, std::string context = "");

// The first non-empty entry of $KUBECONFIG (a ':'-separated list), else $HOME/.kube/config.
std::string DefaultKubeconfigPath();

// The directory of the pod's service account credentials.
inline constexpr char kServiceAccountDir[] = "/var/run/secrets/kubernetes.io/serviceaccount";

// The configuration of a process running in a pod: https://$KUBERNETES_SERVICE_HOST:
// $KUBERNETES_SERVICE_PORT, the token and ca.crt of the service account in `service_account_dir`
// and its namespace file when present. FailedPrecondition outside a cluster (the variables are
// not set), NotFound when the token cannot be read.
absl::StatusOr<ClusterConfig> InClusterConfig(std::string service_account_dir = kServiceAccountDir);

}  // namespace dra::client

#endif  // DRA_CLIENT_KUBECONFIG_H_
