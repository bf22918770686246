// The REST handler of `dra server`: one HTTP request in, one response out, independent of the
// transport (http_server.h binds it to sockets; tests and the fuzzer call it directly).
//
// Serves discovery (/api, /apis, group and version resource lists), /version, /healthz,
// /livez, /readyz, OpenAPI (/openapi/v2, /openapi/v3) and the resources of resources.h at every
// served version: get, list (label and field selectors, limit/continue, resourceVersion and
// resourceVersionMatch), watch (resourceVersion, bookmarks, sendInitialEvents, 410 for expired
// history), create (generateName), update (409 on a stale resourceVersion), patch (JSON, merge,
// strategic merge, apply), delete (preconditions, propagationPolicy, finalizers),
// deletecollection, status subresources, pods/binding; dryRun and fieldValidation. Responses and
// errors are shaped as kube-apiserver shapes them (metav1.Status, lists, meta.k8s.io/v1 Table
// for `Accept: ...;as=Table`, PartialObjectMetadata). Also the web page at /ui (ui/ui.h).
//
// Thread-safe: Handle may be called concurrently from any number of threads.
#ifndef DRA_APISERVER_HANDLER_H_
#define DRA_APISERVER_HANDLER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dra/api/value.h"
#include "dra/apiserver/registry.h"
#include "dra/store/store.h"

namespace dra::apiserver {

namespace openapi {
class OpenApiDocuments;
}  // namespace openapi

struct Request {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // "/api/v1/namespaces/default/pods" (decoded, no query)
  std::vector<std::pair<std::string, std::string>> query;  // decoded parameters
  std::string accept;
  std::string content_type;
  std::string user_agent;
  std::string body;
  // Clients in the same process: the body as an object (then `body` is empty), and whether the
  // answer may come as an object (Response::document) instead of JSON.
  const api::Value* body_object = nullptr;  // not owned; must outlive Handle
  bool want_object = false;
};

// One watch event as an object: what a JSON watch event carries, without the JSON.
struct ObjectEvent {
  std::string_view type;  // "ADDED", "MODIFIED", "DELETED", "BOOKMARK" or "ERROR" (static)
  // The event's object at the watch's version and shape (a metav1.Status for ERROR). Immutable
  // and shared: watches of the same resource and version get the same object for one write.
  std::shared_ptr<const api::Value> object;
};

// The body of a watch response, produced event by event, as JSON for HTTP clients or as objects
// for clients in the same process (one of the two per stream).
class EventStream {
 public:
  virtual ~EventStream() = default;
  // The next piece of the body (one or more newline-terminated JSON events), waiting until
  // `deadline`. DeadlineExceeded when nothing came in time; any other error ends the response.
  // Called from one thread at a time.
  virtual absl::StatusOr<std::string> Next(absl::Time deadline) = 0;
  // The same events as Next, as objects (at least one on success); the same waiting and errors.
  virtual absl::StatusOr<std::vector<ObjectEvent>> NextObjects(absl::Time deadline) = 0;
  // Ends the stream from any thread: a waiting or later Next/NextObjects returns what was
  // already queued, then Cancelled. Idempotent.
  virtual void Cancel() = 0;
};

struct Response {
  int code = 200;
  std::string content_type = "application/json";
  std::string body;
  // Instead of `body`, only for requests with want_object: the JSON document of the answer.
  std::optional<api::Value> document;
  std::vector<std::string> warnings;    // sent as `Warning: 299 - "<text>"` headers
  std::unique_ptr<EventStream> stream;  // set for watches: the body follows, chunked
  // Other headers, sent as they are.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HandlerOptions {
  // Request bodies larger than this get 413.
  size_t max_body_bytes = 3 * 1024 * 1024;
  // Watches beyond this many at once get 429. Each open watch holds one of the HTTP server's
  // worker threads, so this must stay below HttpServerOptions::threads.
  int max_watches = 500;
  // Interval of BOOKMARK events on watches that allow them.
  absl::Duration bookmark_interval = absl::Seconds(60);
  // Default and upper bound of a watch's duration (timeoutSeconds may shorten it).
  absl::Duration watch_timeout = absl::Minutes(30);
  // Written into /api's serverAddressByClientCIDRs.
  std::string server_address = "127.0.0.1:6443";
};

class Handler {
 public:
  Handler(store::Store* store, HandlerOptions options);
  ~Handler();

  Response Handle(const Request& request);

  Registry& registry() { return registry_; }
  // Watches currently open.
  int open_watches() const { return open_watches_.load(); }

 private:
  class Watch;
  class SharedEvents;

  absl::StatusOr<Response> Route(const Request& request);
  // deployments/scale and replicasets/scale (autoscaling/v1 Scale).
  absl::StatusOr<Response> HandleScale(const Request& request, const ResourceType& type,
                                       const std::string& ns, const std::string& name,
                                       const std::string& version);

  store::Store* store_;
  HandlerOptions options_;
  Registry registry_;
  std::unique_ptr<openapi::OpenApiDocuments> openapi_;
  std::shared_ptr<std::atomic<int>> watch_counter_;
  std::atomic<int>& open_watches_;
  // Watch events decoded and encoded once for every unfiltered watch of the same version.
  std::shared_ptr<SharedEvents> shared_events_;
};

// The error response for `status`.
Response ErrorResponse(const absl::Status& status);

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_HANDLER_H_
