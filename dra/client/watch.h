// Watch events and the stream that delivers them.
//
// WatchEvent is a value type. WatchStream implementations are thread-safe: one thread calls
// Next, any thread may call Cancel.
#ifndef DRA_CLIENT_WATCH_H_
#define DRA_CLIENT_WATCH_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dra/api/value.h"

namespace dra::client {

struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark, kError };

  Type type = Type::kAdded;
  // The object (ADDED/MODIFIED: its new state; DELETED: its last state; BOOKMARK: an object of
  // the watched kind carrying only metadata.resourceVersion; ERROR: a metav1.Status). Never null
  // in events from a stream; immutable, and possibly shared with other watches of the same
  // in-process server.
  std::shared_ptr<const api::Value> object;

  // metadata.resourceVersion of `object` ("" when absent, as for ERROR).
  std::string ResourceVersion() const;
  // For ERROR events: the Status as an absl::Status (see errors.h; 410 Expired is OutOfRange).
  // OkStatus for the other types.
  absl::Status Error() const;
};

// "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR".
std::string_view WatchEventTypeName(WatchEvent::Type type);

class WatchStream {
 public:
  virtual ~WatchStream() = default;

  // The next event, waiting until `deadline`. DeadlineExceeded when nothing came in time (the
  // stream goes on); any other error means the stream has ended and every later call returns
  // the same: Cancelled after Cancel() ("watch cancelled") or when the server ended the
  // response ("watch ended by the server", e.g. at timeoutSeconds); Unavailable when the
  // connection broke; DataLoss for a body that is not a watch event stream. Events received
  // before the end are delivered first. An ERROR event is delivered as an event; the server
  // ends the stream after it.
  virtual absl::StatusOr<WatchEvent> Next(absl::Time deadline) = 0;

  // Ends the stream (closing its connection) and wakes a blocked Next. Idempotent.
  virtual void Cancel() = 0;
};

}  // namespace dra::client

#endif  // DRA_CLIENT_WATCH_H_
