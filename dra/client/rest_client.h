// A JSON REST client for a Kubernetes API server (dra's or a real kube-apiserver).
//
// Objects are api::Value documents as the server sends them (JSON); the caller decodes them
// with api::DecodeAs<T> when it wants typed objects. Every request sends
// `Accept: application/json`, the User-Agent of the options and the bearer token when the
// configuration has one; TLS verifies the server against the configured CA (plus the system
// roots) unless insecure_skip_tls_verify, and presents the client certificate when one is
// configured. Failed responses become absl::Status values as errors.h describes (the
// metav1.Status document is kept as a payload); transport failures are Unavailable (or
// DeadlineExceeded for timeouts). A request that fails on a reused keep-alive connection is
// retried once on a new connection when it is a GET, PUT or DELETE, or when the request could
// not be written.
//
// Thread-safe: any number of threads may call any method concurrently. Requests share a pool
// of at most `max_connections` keep-alive connections (callers beyond that wait for one);
// each watch has its own connection and reading thread.
#ifndef DRA_CLIENT_REST_CLIENT_H_
#define DRA_CLIENT_REST_CLIENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/api/value.h"
#include "dra/client/kubeconfig.h"
#include "dra/client/resource_ref.h"
#include "dra/client/transport.h"
#include "dra/client/watch.h"

namespace httplib {
class ClientImpl;
}

namespace dra::client {

struct RestClientOptions {
  std::string user_agent = "dra-client";
  // Per request: connecting, and each read or write on the socket. Watches use their own
  // limits (see WatchOptions).
  absl::Duration timeout = absl::Seconds(30);
  // Open connections for ordinary requests (watches not counted).
  int max_connections = 8;
  // When set, requests go to this transport (a server in the same process, see transport.h)
  // instead of over HTTP to the configuration's server; it must outlive the client. The
  // configuration is still validated, and its token is not needed.
  Transport* transport = nullptr;
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;  // 0: no limit
  std::string continue_token;
  // "" (most recent, consistent read), "0" (any), or a resourceVersion.
  std::string resource_version;
  std::string resource_version_match;  // "", "NotOlderThan", "Exact"
};

struct ListResult {
  std::vector<api::Value> items;
  std::string resource_version;  // the list's metadata.resourceVersion
  std::string continue_token;    // "" on the last page
};

struct WriteOptions {
  std::string field_manager;
  bool dry_run = false;
};

enum class PatchType {
  kJson,            // application/json-patch+json (RFC 6902)
  kMerge,           // application/merge-patch+json (RFC 7386)
  kStrategicMerge,  // application/strategic-merge-patch+json
  kApply,           // application/apply-patch+yaml (server-side apply; needs field_manager)
};

struct PatchOptions {
  std::string field_manager;
  bool dry_run = false;
  bool force = false;  // server-side apply only: take ownership of conflicting fields
};

struct DeleteOptions {
  std::string propagation_policy;  // "", "Orphan", "Background", "Foreground"
  std::string precondition_uid;
  std::string precondition_resource_version;
  std::optional<int64_t> grace_period_seconds;
  bool dry_run = false;
};

struct WatchOptions {
  // "" or "0": the server starts with synthetic ADDED events for the current objects; else the
  // events after that version (410 Expired, as an ERROR event or an OutOfRange error, when it
  // was compacted away).
  std::string resource_version;
  std::string label_selector;
  std::string field_selector;
  bool allow_bookmarks = false;
  // Server-side duration (timeoutSeconds); zero: the server's default.
  absl::Duration timeout = absl::ZeroDuration();
};

class RestClient {
 public:
  using Options = RestClientOptions;

  // Validates the configuration (server URL, PEM certificates and keys) and prepares the
  // connection pool; no request is made. InvalidArgument naming the bad entry.
  static absl::StatusOr<std::unique_ptr<RestClient>> Create(ClusterConfig config,
                                                            Options options = {});
  ~RestClient();

  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

  // `ns` is ignored for cluster-scoped resources. For Create/Update/UpdateStatus an empty `ns`
  // of a namespaced resource means the object's metadata.namespace; elsewhere a namespaced
  // object needs one (InvalidArgument, as for an empty name).
  absl::StatusOr<api::Value> Get(const ResourceRef& ref, std::string_view ns,
                                 std::string_view name);
  // One page (options.limit) or everything (limit 0). `ns` empty: all namespaces.
  absl::StatusOr<ListResult> List(const ResourceRef& ref, std::string_view ns,
                                  const ListOptions& options = {});
  // Every page, following continue tokens (pages of options.limit, 500 when 0); when a continue
  // token expires (410) it lists again without paging. The result's resource_version is the
  // last page's.
  absl::StatusOr<ListResult> ListAll(const ResourceRef& ref, std::string_view ns,
                                     const ListOptions& options = {});
  // The created / updated object as the server stored it.
  absl::StatusOr<api::Value> Create(const ResourceRef& ref, std::string_view ns,
                                    const api::Value& object, const WriteOptions& options = {});
  // PUT of the whole object (metadata.resourceVersion, when set, must be current: Aborted).
  absl::StatusOr<api::Value> Update(const ResourceRef& ref, std::string_view ns,
                                    const api::Value& object, const WriteOptions& options = {});
  // PUT to the status subresource.
  absl::StatusOr<api::Value> UpdateStatus(const ResourceRef& ref, std::string_view ns,
                                          const api::Value& object,
                                          const WriteOptions& options = {});
  // PATCH of `name` (or its `subresource`, e.g. "status") with `body` in the format of `type`
  // (YAML or JSON for kApply).
  absl::StatusOr<api::Value> Patch(const ResourceRef& ref, std::string_view ns,
                                   std::string_view name, PatchType type, std::string_view body,
                                   std::string_view subresource = "",
                                   const PatchOptions& options = {});
  absl::StatusOr<api::Value> Patch(const ResourceRef& ref, std::string_view ns,
                                   std::string_view name, PatchType type, const api::Value& body,
                                   std::string_view subresource = "",
                                   const PatchOptions& options = {});
  // What the server answers: the deleted object, the object marked for deletion (finalizers),
  // or a Status document.
  absl::StatusOr<api::Value> Delete(const ResourceRef& ref, std::string_view ns,
                                    std::string_view name, const DeleteOptions& options = {});
  // Binds pod `ns/pod` to `node` (POST pods/binding).
  absl::Status Bind(std::string_view ns, std::string_view pod, std::string_view node);

  // Opens a watch; returns once the server accepted it (response headers received) or refused
  // it (the error of its response, e.g. InvalidArgument for a bad selector).
  absl::StatusOr<std::unique_ptr<WatchStream>> Watch(const ResourceRef& ref, std::string_view ns,
                                                     const WatchOptions& options = {});

  // Any request: `path_and_query` is sent as is (already encoded). The parsed JSON response
  // (an empty object for an empty body). E.g. RequestJson("GET", "/version").
  absl::StatusOr<api::Value> RequestJson(std::string_view method, std::string_view path_and_query,
                                         std::string_view body = "",
                                         std::string_view content_type = "application/json");

  // "https://host:port" (without path prefix).
  const std::string& server() const { return config_.server; }

 private:
  struct Tls;
  struct Endpoint {
    bool https = false;
    std::string host;  // without brackets
    int port = 0;
    std::string base_path;  // "" or "/prefix" (no trailing slash)
  };
  struct Response {
    int status = 0;
    std::string body;
    std::optional<api::Value> object;  // the body, decoded by an in-process transport
  };

  RestClient(ClusterConfig config, Options options, Endpoint endpoint, std::unique_ptr<Tls> tls);

  // A new connection object (not yet connected).
  absl::StatusOr<std::unique_ptr<httplib::ClientImpl>> NewConnection(
      absl::Duration read_timeout) const;
  // A pooled connection (reused: whether it was used before), waiting while all are busy.
  absl::StatusOr<std::unique_ptr<httplib::ClientImpl>> Acquire(bool* reused);
  void Release(std::unique_ptr<httplib::ClientImpl> connection, bool keep);

  // `object`, when set, is the body (JSON-encoded unless the transport takes objects).
  absl::StatusOr<Response> Send(std::string_view method, const std::string& path_and_query,
                                std::string_view body, std::string_view content_type,
                                const api::Value* object = nullptr);
  // Send + error mapping + JSON parsing.
  absl::StatusOr<api::Value> Call(std::string_view method, const std::string& path_and_query,
                                  std::string_view body = "",
                                  std::string_view content_type = "application/json");
  // Error mapping and JSON parsing of a response.
  absl::StatusOr<api::Value> Decode(std::string_view method, const std::string& path_and_query,
                                    Response response);
  // Call with an object body.
  absl::StatusOr<api::Value> CallWithObject(std::string_view method,
                                            const std::string& path_and_query,
                                            const api::Value& object);
  absl::StatusOr<api::Value> Put(const ResourceRef& ref, std::string_view ns,
                                 const api::Value& object, std::string_view subresource,
                                 const WriteOptions& options);

  const ClusterConfig config_;
  const Options options_;
  const Endpoint endpoint_;
  const std::unique_ptr<Tls> tls_;

  absl::Mutex mu_;
  absl::CondVar cv_;
  std::vector<std::unique_ptr<httplib::ClientImpl>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // connections idle or in use
};

}  // namespace dra::client

#endif  // DRA_CLIENT_REST_CLIENT_H_
