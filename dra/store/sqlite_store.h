// SqliteStore: the embedded Store backend, one SQLite file in a data directory.
//
// Layout: `<data_dir>/store.db` (plus SQLite's -wal and -shm files) with three tables: `kv`
// (current values), `events` (the retained history, one row per revision, with the previous
// value so that List at a past revision can undo newer writes), and `meta` (current and
// compacted revision).
//
// Durability: journal_mode=WAL. With the default Durability::kProcessCrash, synchronous=NORMAL:
// a commit is appended to the WAL with write(2) before the call returns, so it survives kill -9
// of the process (the data is in the kernel's page cache) but the latest commits may be lost on
// power failure or a kernel crash. Durability::kPowerLoss uses synchronous=FULL (an fsync per
// commit) and also survives power failure, at a lower write rate.
//
// Thread-safe. One connection guarded by one mutex: reads and writes are serialized, and
// watchers are notified after the commit, under the same lock, so that every watcher sees events
// in revision order. Group commit: writes that arrive while another is being committed are
// queued and the next writer commits all of them in one transaction, each checked and given its
// revision in arrival order as if alone; a write returns once the transaction holding it is
// committed (a failed commit fails every write in it). Only one process may open a data
// directory.
#ifndef DRA_STORE_SQLITE_STORE_H_
#define DRA_STORE_SQLITE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "dra/store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace dra::store {

namespace internal {
class WatchQueue;
}  // namespace internal

class SqliteStore final : public Store {
 public:
  enum class Durability {
    kProcessCrash,  // synchronous=NORMAL: survives kill -9, not power loss.
    kPowerLoss,     // synchronous=FULL: survives both.
  };
  struct Options {
    Durability durability = Durability::kProcessCrash;
  };

  // Opens (creating when needed) the store in `data_dir`, creating the directory too.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(std::string_view data_dir,
                                                           const Options& options);
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(std::string_view data_dir);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // Cancels every open watch stream and closes the database.
  ~SqliteStore() override;

  absl::StatusOr<int64_t> CurrentRevision() override;
  absl::StatusOr<KeyValue> Get(std::string_view key) override;
  absl::StatusOr<ListResult> List(std::string_view prefix,
                                  const ListOptions& options = {}) override;
  absl::StatusOr<int64_t> Create(std::string_view key, std::string_view value) override;
  absl::StatusOr<int64_t> Update(std::string_view key, std::string_view value,
                                 int64_t expected_revision) override;
  absl::StatusOr<DeleteResult> Delete(
      std::string_view key, std::optional<int64_t> expected_revision = std::nullopt) override;
  absl::StatusOr<std::unique_ptr<WatchStream>> Watch(std::string_view prefix,
                                                     int64_t from_revision) override;
  absl::Status Compact(int64_t revision) override;
  absl::StatusOr<int64_t> CompactedRevision() override;

 private:
  // Prepared statements, finalized in the destructor.
  struct Statements {
    sqlite3_stmt* begin = nullptr;
    sqlite3_stmt* commit = nullptr;
    sqlite3_stmt* rollback = nullptr;
    sqlite3_stmt* get = nullptr;
    sqlite3_stmt* upsert = nullptr;
    sqlite3_stmt* remove = nullptr;
    sqlite3_stmt* insert_event = nullptr;
    sqlite3_stmt* set_meta = nullptr;
    sqlite3_stmt* list = nullptr;
    sqlite3_stmt* events_after = nullptr;
    sqlite3_stmt* compact = nullptr;
  };

  explicit SqliteStore(sqlite3* db) : db_(db) {}

  absl::Status Init(const Options& options) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::optional<KeyValue>> GetLocked(std::string_view key)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Appends the current rows with the prefix (and key > after, when set) to *out, at most
  // `limit` (0: all) of them.
  absl::Status ListCurrentLocked(std::string_view prefix, const std::string* after, int64_t limit,
                                 std::vector<KeyValue>* out) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Events with revision > `after` and key under `prefix`, in revision order.
  struct StoredEvent {
    WatchEvent event;
    std::optional<std::string> prev_value;
    int64_t prev_mod_revision = 0;
  };
  absl::StatusOr<std::vector<StoredEvent>> EventsAfterLocked(std::string_view prefix, int64_t after)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // One write waiting for its transaction.
  struct PendingWrite {
    EventType type = EventType::kAdded;
    std::string_view key;
    std::string_view value;
    std::optional<int64_t> expected_revision;
    // Results.
    absl::Status status;
    int64_t revision = 0;
    std::optional<KeyValue> prev;
    WatchEvent event;
    bool done = false;
  };
  // Queues `write` and returns once it was committed (or failed): as the leader of a batch, or
  // after another writer committed the batch holding it.
  void Submit(PendingWrite* write) ABSL_LOCKS_EXCLUDED(mu_, queue_mu_);
  // Applies the batch in one transaction, then notifies watchers.
  void CommitBatchLocked(const std::vector<PendingWrite*>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Checks one write against the state so far (in this transaction) and writes its rows with
  // revision `revision`; a failed check leaves the rows alone.
  absl::Status ApplyLocked(PendingWrite& write, int64_t revision, bool* written)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status WriteLocked(const WatchEvent& event, const std::optional<KeyValue>& prev)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Step(sqlite3_stmt* stmt) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Error(std::string_view what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  sqlite3* const db_ ABSL_GUARDED_BY(mu_);
  Statements stmts_ ABSL_GUARDED_BY(mu_);
  int64_t revision_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t compacted_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::shared_ptr<internal::WatchQueue>> watchers_ ABSL_GUARDED_BY(mu_);

  // Writes waiting for the next batch, and whether a writer is committing one.
  absl::Mutex queue_mu_;
  std::vector<PendingWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool committing_ ABSL_GUARDED_BY(queue_mu_) = false;
};

}  // namespace dra::store

#endif  // DRA_STORE_SQLITE_STORE_H_
