#include "dra/store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/store/internal/watch_queue.h"

namespace dra::store {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS kv(
  key BLOB PRIMARY KEY,
  value BLOB NOT NULL,
  create_revision INTEGER NOT NULL,
  mod_revision INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events(
  revision INTEGER PRIMARY KEY,
  type INTEGER NOT NULL,
  key BLOB NOT NULL,
  value BLOB,
  prev_value BLOB,
  prev_mod_revision INTEGER,
  create_revision INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta(
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
)sql";

// Resets a statement and its bindings when leaving scope.
class ScopedReset {
 public:
  explicit ScopedReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ScopedReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// Binds bytes as a BLOB; the data must outlive the statement's execution. An empty value is
// bound as a zero-length BLOB, not NULL.
int BindBytes(sqlite3_stmt* stmt, int index, std::string_view bytes) {
  if (bytes.empty()) return sqlite3_bind_zeroblob(stmt, index, 0);
  return sqlite3_bind_blob(stmt, index, bytes.data(), static_cast<int>(bytes.size()),
                           SQLITE_STATIC);
}

std::string ColumnBytes(sqlite3_stmt* stmt, int column) {
  const void* data = sqlite3_column_blob(stmt, column);
  int size = sqlite3_column_bytes(stmt, column);
  if (data == nullptr || size <= 0) return std::string();
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

absl::Status ValidateKey(std::string_view key) {
  if (key.empty()) return absl::InvalidArgumentError("store key must not be empty");
  return absl::OkStatus();
}

absl::Status Conflict(std::string_view key, int64_t expected, int64_t actual) {
  return absl::AbortedError(dra::StrCat(
      "Operation cannot be fulfilled on key \"", key, "\": the object has been modified; please ",
      "apply your changes to the latest version and try again (expected revision ", expected,
      ", current ", actual, ")"));
}

absl::Status TooOld(int64_t requested, int64_t compacted) {
  return absl::OutOfRangeError(
      dra::StrCat("too old resource version: ", requested, " (", compacted, ")"));
}

absl::Status TooNew(int64_t requested, int64_t current) {
  return absl::InvalidArgumentError(
      dra::StrCat("resource version ", requested, " is newer than the current revision ", current));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(std::string_view data_dir) {
  return Open(data_dir, Options());
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(std::string_view data_dir,
                                                               const Options& options) {
  std::error_code ec;
  std::filesystem::path dir{std::string(data_dir)};
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(
        dra::StrCat("creating data directory \"", data_dir, "\": ", ec.message()));
  }
  std::string path = (dir / "store.db").string();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return absl::UnavailableError(dra::StrCat("opening \"", path, "\": ", message));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db));
  absl::MutexLock lock(&store->mu_);
  DRA_RETURN_IF_ERROR(store->Init(options));
  return store;
}

absl::Status SqliteStore::Init(const Options& options) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  // journal_mode answers with the mode in effect; anything but "wal" is an error.
  {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr) != SQLITE_OK) {
      return Error("PRAGMA journal_mode");
    }
    std::string mode;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) mode = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
    if (mode != "wal") {
      return absl::UnavailableError(dra::StrCat("sqlite: cannot enable WAL (mode ", mode, ")"));
    }
  }
  const char* sync = options.durability == Durability::kPowerLoss ? "PRAGMA synchronous=FULL"
                                                                  : "PRAGMA synchronous=NORMAL";
  if (sqlite3_exec(db_, sync, nullptr, nullptr, nullptr) != SQLITE_OK) return Error(sync);
  // Checkpoints copy the WAL into the database (and sync it): fewer, larger ones write each
  // hot page once for many commits.
  const char* tuning = "PRAGMA wal_autocheckpoint=16384";
  if (sqlite3_exec(db_, tuning, nullptr, nullptr, nullptr) != SQLITE_OK) return Error(tuning);
  if (sqlite3_exec(db_, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) return Error("schema");

  struct {
    sqlite3_stmt** stmt;
    const char* sql;
  } const statements[] = {
      {&stmts_.begin, "BEGIN IMMEDIATE"},
      {&stmts_.commit, "COMMIT"},
      {&stmts_.rollback, "ROLLBACK"},
      {&stmts_.get, "SELECT value, create_revision, mod_revision FROM kv WHERE key = ?1"},
      {&stmts_.upsert,
       "INSERT OR REPLACE INTO kv(key, value, create_revision, mod_revision) "
       "VALUES(?1, ?2, ?3, ?4)"},
      {&stmts_.remove, "DELETE FROM kv WHERE key = ?1"},
      {&stmts_.insert_event,
       "INSERT INTO events(revision, type, key, value, prev_value, prev_mod_revision, "
       "create_revision) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&stmts_.set_meta, "INSERT OR REPLACE INTO meta(name, value) VALUES(?1, ?2)"},
      {&stmts_.list,
       "SELECT key, value, create_revision, mod_revision FROM kv "
       "WHERE key >= ?1 AND (?2 IS NULL OR key < ?2) ORDER BY key LIMIT ?3"},
      {&stmts_.events_after,
       "SELECT revision, type, key, value, prev_value, prev_mod_revision, create_revision "
       "FROM events WHERE revision > ?1 AND key >= ?2 AND (?3 IS NULL OR key < ?3) "
       "ORDER BY revision"},
      {&stmts_.compact, "DELETE FROM events WHERE revision <= ?1"},
  };
  for (const auto& s : statements) {
    if (sqlite3_prepare_v3(db_, s.sql, -1, SQLITE_PREPARE_PERSISTENT, s.stmt, nullptr) !=
        SQLITE_OK) {
      return Error(dra::StrCat("preparing \"", s.sql, "\""));
    }
  }

  // The current revision is that of the newest event, or the compacted revision when every
  // event was compacted away.
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "SELECT (SELECT value FROM meta WHERE name = 'compacted'), "
                         "(SELECT MAX(revision) FROM events)",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return Error("reading revisions");
  }
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    compacted_ = sqlite3_column_int64(stmt, 0);
    revision_ = std::max<int64_t>(compacted_, sqlite3_column_int64(stmt, 1));
  }
  sqlite3_finalize(stmt);
  return absl::OkStatus();
}

SqliteStore::~SqliteStore() {
  absl::MutexLock lock(&mu_);
  for (auto& watcher : watchers_) watcher->Cancel();
  watchers_.clear();
  for (sqlite3_stmt* stmt :
       {stmts_.begin, stmts_.commit, stmts_.rollback, stmts_.get, stmts_.upsert, stmts_.remove,
        stmts_.insert_event, stmts_.set_meta, stmts_.list, stmts_.events_after, stmts_.compact}) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db_);
}

absl::Status SqliteStore::Error(std::string_view what) {
  return absl::InternalError(dra::StrCat("sqlite: ", what, ": ", sqlite3_errmsg(db_)));
}

absl::Status SqliteStore::Step(sqlite3_stmt* stmt) {
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error(sqlite3_sql(stmt));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteStore::CurrentRevision() {
  absl::MutexLock lock(&mu_);
  return revision_;
}

absl::StatusOr<int64_t> SqliteStore::CompactedRevision() {
  absl::MutexLock lock(&mu_);
  return compacted_;
}

absl::StatusOr<std::optional<KeyValue>> SqliteStore::GetLocked(std::string_view key) {
  sqlite3_stmt* stmt = stmts_.get;
  ScopedReset reset(stmt);
  BindBytes(stmt, 1, key);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) return std::optional<KeyValue>();
  if (rc != SQLITE_ROW) return Error("get");
  KeyValue kv;
  kv.key = std::string(key);
  kv.value = ColumnBytes(stmt, 0);
  kv.create_revision = sqlite3_column_int64(stmt, 1);
  kv.mod_revision = sqlite3_column_int64(stmt, 2);
  return std::optional<KeyValue>(std::move(kv));
}

absl::StatusOr<KeyValue> SqliteStore::Get(std::string_view key) {
  DRA_RETURN_IF_ERROR(ValidateKey(key));
  absl::MutexLock lock(&mu_);
  DRA_ASSIGN_OR_RETURN(std::optional<KeyValue> kv, GetLocked(key));
  if (!kv.has_value()) return absl::NotFoundError(dra::StrCat("key \"", key, "\" not found"));
  return *std::move(kv);
}

absl::Status SqliteStore::ListCurrentLocked(std::string_view prefix, const std::string* after,
                                            int64_t limit, std::vector<KeyValue>* out) {
  // Lower bound (inclusive): the prefix, or the smallest key greater than `after`.
  std::string lower(prefix);
  if (after != nullptr && *after >= lower) lower = *after + std::string(1, '\0');
  std::string upper = PrefixEnd(prefix);
  sqlite3_stmt* stmt = stmts_.list;
  ScopedReset reset(stmt);
  BindBytes(stmt, 1, lower);
  if (upper.empty()) {
    sqlite3_bind_null(stmt, 2);
  } else {
    BindBytes(stmt, 2, upper);
  }
  sqlite3_bind_int64(stmt, 3, limit > 0 ? limit : -1);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    KeyValue kv;
    kv.key = ColumnBytes(stmt, 0);
    kv.value = ColumnBytes(stmt, 1);
    kv.create_revision = sqlite3_column_int64(stmt, 2);
    kv.mod_revision = sqlite3_column_int64(stmt, 3);
    out->push_back(std::move(kv));
  }
  if (rc != SQLITE_DONE) return Error("list");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SqliteStore::StoredEvent>> SqliteStore::EventsAfterLocked(
    std::string_view prefix, int64_t after) {
  std::string upper = PrefixEnd(prefix);
  sqlite3_stmt* stmt = stmts_.events_after;
  ScopedReset reset(stmt);
  sqlite3_bind_int64(stmt, 1, after);
  BindBytes(stmt, 2, prefix);
  if (upper.empty()) {
    sqlite3_bind_null(stmt, 3);
  } else {
    BindBytes(stmt, 3, upper);
  }
  std::vector<StoredEvent> events;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    StoredEvent e;
    e.event.revision = sqlite3_column_int64(stmt, 0);
    e.event.type = static_cast<EventType>(sqlite3_column_int(stmt, 1));
    e.event.key = ColumnBytes(stmt, 2);
    if (sqlite3_column_type(stmt, 4) != SQLITE_NULL) {
      e.prev_value = ColumnBytes(stmt, 4);
      e.prev_mod_revision = sqlite3_column_int64(stmt, 5);
    }
    e.event.value =
        e.event.type == EventType::kDeleted ? e.prev_value.value_or("") : ColumnBytes(stmt, 3);
    e.event.create_revision = sqlite3_column_int64(stmt, 6);
    events.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return Error("reading events");
  return events;
}

absl::StatusOr<ListResult> SqliteStore::List(std::string_view prefix, const ListOptions& options) {
  if (options.limit < 0) return absl::InvalidArgumentError("list limit must not be negative");
  absl::MutexLock lock(&mu_);
  ListResult result;
  result.revision = options.at_revision.value_or(revision_);
  if (result.revision < compacted_) return TooOld(result.revision, compacted_);
  if (result.revision > revision_) return TooNew(result.revision, revision_);
  const std::string* after = options.continue_key.empty() ? nullptr : &options.continue_key;
  if (result.revision == revision_) {
    DRA_RETURN_IF_ERROR(
        ListCurrentLocked(prefix, after, options.limit > 0 ? options.limit + 1 : 0, &result.items));
  } else {
    // Start from the current state and undo the writes newer than the requested revision,
    // newest first.
    std::vector<KeyValue> current;
    DRA_RETURN_IF_ERROR(ListCurrentLocked(prefix, after, 0, &current));
    std::map<std::string, KeyValue> state;
    for (KeyValue& kv : current) {
      std::string key = kv.key;
      state.emplace(std::move(key), std::move(kv));
    }
    DRA_ASSIGN_OR_RETURN(std::vector<StoredEvent> events,
                         EventsAfterLocked(prefix, result.revision));
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      const WatchEvent& e = it->event;
      if (after != nullptr && e.key <= *after) continue;
      if (e.type == EventType::kAdded) {
        state.erase(e.key);
      } else {
        state[e.key] = KeyValue{.key = e.key,
                                .value = it->prev_value.value_or(""),
                                .create_revision = e.create_revision,
                                .mod_revision = it->prev_mod_revision};
      }
    }
    for (auto& [key, kv] : state) {
      if (options.limit > 0 && static_cast<int64_t>(result.items.size()) > options.limit) break;
      result.items.push_back(std::move(kv));
    }
  }
  if (options.limit > 0 && static_cast<int64_t>(result.items.size()) > options.limit) {
    result.items.resize(static_cast<size_t>(options.limit));
    result.continue_key = result.items.back().key;
  }
  return result;
}

absl::Status SqliteStore::WriteLocked(const WatchEvent& event,
                                      const std::optional<KeyValue>& prev) {
  {
    sqlite3_stmt* stmt = stmts_.insert_event;
    ScopedReset reset(stmt);
    sqlite3_bind_int64(stmt, 1, event.revision);
    sqlite3_bind_int(stmt, 2, static_cast<int>(event.type));
    BindBytes(stmt, 3, event.key);
    if (event.type == EventType::kDeleted) {
      sqlite3_bind_null(stmt, 4);
    } else {
      BindBytes(stmt, 4, event.value);
    }
    if (prev.has_value()) {
      BindBytes(stmt, 5, prev->value);
      sqlite3_bind_int64(stmt, 6, prev->mod_revision);
    } else {
      sqlite3_bind_null(stmt, 5);
      sqlite3_bind_null(stmt, 6);
    }
    sqlite3_bind_int64(stmt, 7, event.create_revision);
    DRA_RETURN_IF_ERROR(Step(stmt));
  }
  if (event.type == EventType::kDeleted) {
    sqlite3_stmt* stmt = stmts_.remove;
    ScopedReset reset(stmt);
    BindBytes(stmt, 1, event.key);
    return Step(stmt);
  }
  sqlite3_stmt* stmt = stmts_.upsert;
  ScopedReset reset(stmt);
  BindBytes(stmt, 1, event.key);
  BindBytes(stmt, 2, event.value);
  sqlite3_bind_int64(stmt, 3, event.create_revision);
  sqlite3_bind_int64(stmt, 4, event.revision);
  return Step(stmt);
}

void SqliteStore::Submit(PendingWrite* write) {
  std::vector<PendingWrite*> batch;
  {
    absl::MutexLock lock(&queue_mu_);
    queue_.push_back(write);
    auto done_or_free = [this, write]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
      return write->done || !committing_;
    };
    queue_mu_.Await(absl::Condition(&done_or_free));
    if (write->done) return;
    // Lead the next batch: everything queued so far, this write included.
    committing_ = true;
    batch.swap(queue_);
  }
  {
    absl::MutexLock lock(&mu_);
    CommitBatchLocked(batch);
  }
  absl::MutexLock lock(&queue_mu_);
  for (PendingWrite* w : batch) w->done = true;
  committing_ = false;
}

absl::Status SqliteStore::ApplyLocked(PendingWrite& write, int64_t revision, bool* written) {
  *written = false;
  DRA_RETURN_IF_ERROR(ValidateKey(write.key));
  DRA_ASSIGN_OR_RETURN(write.prev, GetLocked(write.key));
  const std::optional<KeyValue>& prev = write.prev;
  if (write.type == EventType::kAdded) {
    if (prev.has_value()) {
      return absl::AlreadyExistsError(dra::StrCat("key \"", write.key, "\" already exists"));
    }
  } else {
    if (!prev.has_value()) {
      return absl::NotFoundError(dra::StrCat("key \"", write.key, "\" not found"));
    }
    if (write.expected_revision.has_value() && prev->mod_revision != *write.expected_revision) {
      return Conflict(write.key, *write.expected_revision, prev->mod_revision);
    }
  }
  write.event = WatchEvent{
      .type = write.type,
      .key = std::string(write.key),
      .value = write.type == EventType::kDeleted ? prev->value : std::string(write.value),
      .revision = revision,
      .create_revision = write.type == EventType::kAdded ? revision : prev->create_revision};
  *written = true;
  return WriteLocked(write.event, prev);
}

void SqliteStore::CommitBatchLocked(const std::vector<PendingWrite*>& batch) {
  auto fail_all = [&](const absl::Status& status) {
    for (PendingWrite* w : batch) {
      if (w->status.ok()) w->status = status;
    }
    if (!sqlite3_get_autocommit(db_)) {
      ScopedReset reset(stmts_.rollback);
      sqlite3_step(stmts_.rollback);
    }
  };
  {
    ScopedReset reset(stmts_.begin);
    if (absl::Status begun = Step(stmts_.begin); !begun.ok()) return fail_all(begun);
  }
  int64_t revision = revision_;
  std::vector<PendingWrite*> written;
  for (PendingWrite* w : batch) {
    bool rows_written = false;
    w->status = ApplyLocked(*w, revision + 1, &rows_written);
    if (w->status.ok()) {
      ++revision;
      w->revision = revision;
      written.push_back(w);
    } else if (rows_written) {
      // The database failed in the middle of the write: nothing of the batch is kept.
      return fail_all(w->status);
    }
  }
  {
    ScopedReset reset(stmts_.commit);
    if (absl::Status committed = Step(stmts_.commit); !committed.ok()) return fail_all(committed);
  }
  revision_ = revision;
  // Notify after the commit, still under the lock, so that watchers see revision order.
  std::erase_if(watchers_, [](const auto& w) { return w->cancelled(); });
  for (PendingWrite* w : written) {
    for (auto& watcher : watchers_) {
      if (watcher->Matches(w->event.key)) watcher->Push(w->event);
    }
  }
}

absl::StatusOr<int64_t> SqliteStore::Create(std::string_view key, std::string_view value) {
  PendingWrite write{.type = EventType::kAdded, .key = key, .value = value};
  Submit(&write);
  if (!write.status.ok()) return write.status;
  return write.revision;
}

absl::StatusOr<int64_t> SqliteStore::Update(std::string_view key, std::string_view value,
                                            int64_t expected_revision) {
  PendingWrite write{.type = EventType::kModified,
                     .key = key,
                     .value = value,
                     .expected_revision = expected_revision};
  Submit(&write);
  if (!write.status.ok()) return write.status;
  return write.revision;
}

absl::StatusOr<DeleteResult> SqliteStore::Delete(std::string_view key,
                                                 std::optional<int64_t> expected_revision) {
  PendingWrite write{
      .type = EventType::kDeleted, .key = key, .expected_revision = expected_revision};
  Submit(&write);
  if (!write.status.ok()) return write.status;
  return DeleteResult{.prev = *std::move(write.prev), .revision = write.revision};
}

absl::StatusOr<std::unique_ptr<WatchStream>> SqliteStore::Watch(std::string_view prefix,
                                                                int64_t from_revision) {
  if (from_revision < 0) return absl::InvalidArgumentError("watch revision must not be negative");
  absl::MutexLock lock(&mu_);
  if (from_revision < compacted_) return TooOld(from_revision, compacted_);
  if (from_revision > revision_) return TooNew(from_revision, revision_);
  auto queue = std::make_shared<internal::WatchQueue>(prefix);
  DRA_ASSIGN_OR_RETURN(std::vector<StoredEvent> history, EventsAfterLocked(prefix, from_revision));
  for (StoredEvent& e : history) queue->Push(std::move(e.event));
  watchers_.push_back(queue);
  return std::make_unique<internal::QueueWatchStream>(std::move(queue));
}

absl::Status SqliteStore::Compact(int64_t revision) {
  absl::MutexLock lock(&mu_);
  if (revision > revision_) return TooNew(revision, revision_);
  if (revision <= compacted_) return absl::OkStatus();
  {
    ScopedReset reset(stmts_.begin);
    DRA_RETURN_IF_ERROR(Step(stmts_.begin));
  }
  absl::Status status;
  {
    ScopedReset reset(stmts_.compact);
    sqlite3_bind_int64(stmts_.compact, 1, revision);
    status = Step(stmts_.compact);
  }
  if (status.ok()) {
    ScopedReset reset(stmts_.set_meta);
    sqlite3_bind_text(stmts_.set_meta, 1, "compacted", -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmts_.set_meta, 2, revision);
    status = Step(stmts_.set_meta);
  }
  if (status.ok()) {
    ScopedReset reset(stmts_.commit);
    status = Step(stmts_.commit);
  }
  if (!status.ok()) {
    if (!sqlite3_get_autocommit(db_)) {
      ScopedReset reset(stmts_.rollback);
      sqlite3_step(stmts_.rollback);
    }
    return status;
  }
  compacted_ = revision;
  return absl::OkStatus();
}

}  // namespace dra::store
