// The storage interface: a versioned key-value store with watch.
//
// A Store maps byte-string keys to byte-string values. It knows nothing of API objects; the
// apiserver encodes objects to bytes and chooses keys (e.g. "/registry/resourceclaims/ns/name").
//
// Revisions. Every store has one revision counter, starting at 0 for an empty store. Each
// successful Create, Update or Delete increments it by exactly one and stamps the write with the
// new value; it never decreases and is never reused, also across restarts. This counter is
// Kubernetes' resourceVersion: an entry's `mod_revision` is the object's resourceVersion, and a
// List's `revision` is the list's resourceVersion.
//
// History. Every write also appends an event (ADDED, MODIFIED or DELETED) to a history that
// backs List at a past revision and Watch from a past revision. Compact(c) discards the history
// up to and including revision c; afterwards List at a revision < c and Watch from a revision < c
// fail with OutOfRange ("too old resource version", HTTP 410 Gone).
//
// Errors map 1:1 to HTTP: NotFound 404, AlreadyExists 409, Aborted 409 Conflict (stale expected
// revision), OutOfRange 410 Gone (compacted), InvalidArgument 422 / 400, Internal or Unavailable
// 5xx for backend failures.
//
// Thread-safety: implementations are thread-safe; every method may be called concurrently from
// any number of threads. Writes are linearizable: they are applied one at a time in revision
// order, and a write is durable (it survives a crash of the process) once its call returns OK.
#ifndef DRA_STORE_STORE_H_
#define DRA_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dra::store {

// One stored entry.
struct KeyValue {
  std::string key;
  std::string value;
  // Revision of the write that created the key (the latest Create, when it was deleted and
  // created again).
  int64_t create_revision = 0;
  // Revision of the latest write to the key: its resourceVersion.
  int64_t mod_revision = 0;

  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

struct ListOptions {
  // When set, the result is the state as it was right after this revision was written (a
  // consistent snapshot). Unset: the current state. A revision older than the compacted
  // revision gives OutOfRange; one greater than the current revision gives InvalidArgument.
  std::optional<int64_t> at_revision;
  // At most this many items; 0 means no limit.
  int64_t limit = 0;
  // Start after this key (exclusive). Pass back ListResult::continue_key together with
  // at_revision = ListResult::revision to get the next page of the same snapshot.
  std::string continue_key;
};

struct ListResult {
  // Entries whose key starts with the prefix, in increasing byte order of key.
  std::vector<KeyValue> items;
  // The revision the snapshot was taken at (the list's resourceVersion).
  int64_t revision = 0;
  // Non-empty when more items remain: the last key returned.
  std::string continue_key;
};

struct DeleteResult {
  // The entry as it was before the delete.
  KeyValue prev;
  // The revision of the delete itself.
  int64_t revision = 0;
};

enum class EventType { kAdded, kModified, kDeleted };

// Returns "ADDED", "MODIFIED" or "DELETED", as in the Kubernetes watch protocol.
std::string_view EventTypeName(EventType type);

struct WatchEvent {
  EventType type = EventType::kAdded;
  std::string key;
  // The new value; for kDeleted the value the key had just before the delete.
  std::string value;
  // The revision of the write (for kDeleted: of the delete).
  int64_t revision = 0;
  int64_t create_revision = 0;

  friend bool operator==(const WatchEvent&, const WatchEvent&) = default;
};

// A pull-style stream of events for one Watch call.
//
// Events arrive in strictly increasing revision order, without gaps among the writes that match
// the watch's prefix, and each write is delivered once. Events are queued without bound until
// Next takes them. Destroying the stream ends the watch. Thread-safe: Next is meant for one
// consumer thread; Cancel may be called from any thread. A stream may outlive its Store; it then
// behaves as cancelled once drained.
class WatchStream {
 public:
  virtual ~WatchStream() = default;

  // Returns the next event, waiting until `deadline`. Returns DeadlineExceeded when no event
  // came in time (use absl::InfinitePast() to poll), and Cancelled once the stream was
  // cancelled or its store destroyed and every queued event was taken.
  virtual absl::StatusOr<WatchEvent> Next(absl::Time deadline) = 0;

  // Ends the stream; a blocked Next returns Cancelled once the queue is drained. Idempotent.
  virtual void Cancel() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // The current revision: that of the latest write, 0 for a store never written.
  virtual absl::StatusOr<int64_t> CurrentRevision() = 0;

  // The current entry for `key`; NotFound when absent.
  virtual absl::StatusOr<KeyValue> Get(std::string_view key) = 0;

  // Entries whose key starts with `prefix` ("" lists everything). See ListOptions.
  virtual absl::StatusOr<ListResult> List(std::string_view prefix,
                                          const ListOptions& options = {}) = 0;

  // Creates `key`; returns the revision of the write. AlreadyExists when the key is present.
  virtual absl::StatusOr<int64_t> Create(std::string_view key, std::string_view value) = 0;

  // Replaces the value of `key` when its mod_revision equals `expected_revision`; returns the
  // revision of the write. NotFound when absent, Aborted (409 Conflict) on a revision mismatch.
  virtual absl::StatusOr<int64_t> Update(std::string_view key, std::string_view value,
                                         int64_t expected_revision) = 0;

  // Deletes `key`, when `expected_revision` is set only if its mod_revision equals it.
  // NotFound when absent, Aborted (409 Conflict) on a revision mismatch.
  virtual absl::StatusOr<DeleteResult> Delete(
      std::string_view key, std::optional<int64_t> expected_revision = std::nullopt) = 0;

  // Streams every write with revision > `from_revision` to keys starting with `prefix`: first
  // those already in the history, then new ones as they are committed. Pass the revision of a
  // List (or CurrentRevision()) to see exactly the changes after that snapshot; 0 replays the
  // whole history. OutOfRange ("too old resource version") when `from_revision` is older than
  // the compacted revision; InvalidArgument when it is negative or newer than the current one.
  virtual absl::StatusOr<std::unique_ptr<WatchStream>> Watch(std::string_view prefix,
                                                             int64_t from_revision) = 0;

  // Discards the history of revisions <= `revision` (current values are kept). A revision at or
  // below the already compacted one is a no-op; one above the current revision is
  // InvalidArgument. Running watches are not affected.
  virtual absl::Status Compact(int64_t revision) = 0;

  // The revision history has been compacted up to (0 when never compacted).
  virtual absl::StatusOr<int64_t> CompactedRevision() = 0;
};

// The smallest key greater than every key starting with `prefix`, or "" when there is none
// (prefix empty or all 0xff bytes). Keys in [prefix, PrefixEnd(prefix)) are those with the prefix.
std::string PrefixEnd(std::string_view prefix);

}  // namespace dra::store

#endif  // DRA_STORE_STORE_H_
