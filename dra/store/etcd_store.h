// EtcdStore: the Store backend over an etcd v3 cluster, for running several `dra server`
// replicas against shared storage.
//
// It speaks etcd's JSON gRPC gateway (etcd 3.4: POST /v3/kv/range, /v3/kv/txn,
// /v3/kv/compaction and the streaming /v3/watch) over plain HTTP with cpp-httplib; keys and
// values travel base64-encoded.
//
// Revisions. The store's revision is etcd's revision minus one: etcd starts an empty cluster at
// revision 1, the Store contract at 0, and both add exactly one per write (every write is one
// etcd transaction). The store assumes it owns the whole etcd keyspace: a write by anyone else
// also consumes a revision, and its key shows in List("") and in watches.
//
// Writes. Create is a transaction comparing the key's create_revision with 0; Update and a
// conditional Delete compare its mod_revision with the expected revision; the failure branch reads
// the key in the same transaction, so NotFound and Aborted are told apart atomically.
//
// Compaction. Compact(c) is etcd's compaction at c + 1 (physical: it returns once applied).
// etcd does not report its compacted revision through the KV API, so CompactedRevision()
// bisects with point reads at past revisions (O(log revision) requests).
//
// Watch. One streaming HTTP request and one reader thread per WatchStream, over the whole
// keyspace from the requested revision, filtered by prefix on the client: every write then
// reaches every stream, which lets Cancel() and the store's destruction end a stream exactly
// after the revision current at that moment (everything written before is still delivered, as
// with SqliteStore). A dropped connection is re-established from the last revision seen. When
// etcd compacts past a stream's position before it caught up, the stream ends (Cancelled).
//
// Thread-safe. HTTP connections are pooled (keep-alive); requests run concurrently.
#ifndef DRA_STORE_ETCD_STORE_H_
#define DRA_STORE_ETCD_STORE_H_

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
#include "absl/time/time.h"
#include "dra/store/store.h"

namespace dra::store {

namespace etcd_internal {
class Connection;
struct WatchState;
}  // namespace etcd_internal

class EtcdStore final : public Store {
 public:
  struct Options {
    // The client endpoint (plain HTTP).
    std::string host = "127.0.0.1";
    int port = 2379;
    // Connect and per-request timeout.
    absl::Duration timeout = absl::Seconds(10);
  };

  // Connects to etcd, failing with Unavailable when it does not answer.
  static absl::StatusOr<std::unique_ptr<EtcdStore>> Open(const Options& options);

  EtcdStore(const EtcdStore&) = delete;
  EtcdStore& operator=(const EtcdStore&) = delete;
  // Open watch streams deliver the writes up to the current revision, then end.
  ~EtcdStore() override;

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
  explicit EtcdStore(std::shared_ptr<etcd_internal::Connection> conn) : conn_(std::move(conn)) {}

  const std::shared_ptr<etcd_internal::Connection> conn_;
  absl::Mutex mu_;
  std::vector<std::weak_ptr<etcd_internal::WatchState>> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dra::store

#endif  // DRA_STORE_ETCD_STORE_H_
