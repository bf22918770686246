// How a RestClient reaches a server in the same process: requests are handed to the server's
// REST handler directly instead of going over a socket, and bodies and watch events are passed as
// objects, not JSON (kube-apiserver's loopback client plays the same part for its own controllers).
// A RestClient with a transport behaves as one over HTTP in every other respect: the same paths,
// queries, bodies, responses and errors.
//
// Implementations are thread-safe: any number of threads may call RoundTrip and Watch at once.
#ifndef DRA_CLIENT_TRANSPORT_H_
#define DRA_CLIENT_TRANSPORT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "dra/api/value.h"
#include "dra/client/watch.h"

namespace dra::client {

class Transport {
 public:
  struct Request {
    std::string_view method;          // GET, POST, PUT, PATCH, DELETE
    std::string_view path_and_query;  // "/api/v1/namespaces/default/pods?limit=500", encoded
    std::string_view content_type;    // of `body`; empty when there is none
    std::string_view body;
    std::string_view user_agent;
    // Create and update requests: the body as an object (then `body` is empty).
    const api::Value* object = nullptr;
  };
  struct Response {
    int status = 0;  // HTTP status code
    std::string body;
    // The answer's JSON document as an object, instead of `body` (a transport may set either).
    std::optional<api::Value> object;
  };
  // A watch request's answer: the event stream (status 200), or the server's error response
  // (stream null).
  struct WatchResponse {
    Response response;
    std::unique_ptr<WatchStream> stream;
  };

  virtual ~Transport() = default;

  // Any request but a watch. A Status only when the request could not be delivered.
  virtual absl::StatusOr<Response> RoundTrip(const Request& request) = 0;
  // A watch request (path_and_query has watch=true). The stream follows WatchStream's contract:
  // the server ending the watch is Cancelled("watch ended by the server").
  virtual absl::StatusOr<WatchResponse> Watch(const Request& request) = 0;
};

}  // namespace dra::client

#endif  // DRA_CLIENT_TRANSPORT_H_
