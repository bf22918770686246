// The control plane's own clients (scheduler, controllers) reach the API server of the same
// process through its REST handler directly: no socket, no HTTP, no JSON (request and response
// bodies are passed as objects, watch events are the handler's shared objects; see
// client/transport.h). Requests are served exactly as
// over HTTP (the same routing, validation, errors) as the server's administrator; the token
// check of the HTTP listener does not apply.
//
// Thread-safe: any number of threads may send requests and open watches at once. The handler
// must outlive the transport and every watch stream it opened.
#ifndef DRA_CLI_LOOPBACK_TRANSPORT_H_
#define DRA_CLI_LOOPBACK_TRANSPORT_H_

#include "dra/apiserver/handler.h"
#include "dra/client/transport.h"

namespace dra::cli {

class LoopbackTransport : public client::Transport {
 public:
  explicit LoopbackTransport(apiserver::Handler* handler) : handler_(handler) {}

  absl::StatusOr<Response> RoundTrip(const Request& request) override;
  absl::StatusOr<WatchResponse> Watch(const Request& request) override;

 private:
  apiserver::Handler* const handler_;
};

// The handler's request for an encoded `path_and_query` ("/api/v1/pods?labelSelector=a%3Db"):
// the path and the parameters percent-decoded ('+' in the query is a space), the body object
// referenced (it must outlive the handler's call), and the answer asked for as an object.
apiserver::Request LoopbackRequest(const client::Transport::Request& request);

}  // namespace dra::cli

#endif  // DRA_CLI_LOOPBACK_TRANSPORT_H_
