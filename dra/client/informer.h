// A local, continuously updated cache of one resource: list, then watch from the list's
// resourceVersion, as client-go's reflector and shared informer do.
//
// Behaviour:
// - Start() runs a background thread. It lists (paged, RestClient::ListAll), replaces the
//   cache, marks the informer synced, then watches from the last seen resourceVersion.
// - When a watch ends (server timeout, broken connection) it watches again from the last seen
//   resourceVersion; BOOKMARK events advance that version without changing the cache.
// - When the version is too old (410 Expired: an ERROR event with code 410 or an OutOfRange
//   error when opening the watch) it lists again and delivers the differences from the cache
//   as add (new keys), update (resourceVersion changed) and delete (keys gone) events.
// - Errors back off exponentially (options.min_backoff to max_backoff); watches that end
//   without delivering anything are also backed off, so the loop never spins.
// Objects are cached as the server sent them, keyed "namespace/name" ("name" for cluster-scoped
// objects).
//
// Thread-safe. Handlers are called on the informer thread, one at a time, in event order,
// after the cache reflects the event and without any informer lock held (they may call Get and
// List, but must not call Stop).
#ifndef DRA_CLIENT_INFORMER_H_
#define DRA_CLIENT_INFORMER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/api/value.h"
#include "dra/client/resource_ref.h"
#include "dra/client/rest_client.h"
#include "dra/client/watch.h"

namespace dra::client {

struct InformerOptions {
  std::string ns;  // "" for every namespace (and for cluster-scoped resources)
  std::string label_selector;
  std::string field_selector;
  int64_t page_size = 500;
  // Server-side duration of each watch (it is then re-opened from the last version).
  absl::Duration watch_timeout = absl::Minutes(5);
  bool allow_bookmarks = true;
  absl::Duration min_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(30);
};

class Informer {
 public:
  using ObjectPtr = std::shared_ptr<const api::Value>;
  using OnAdd = std::function<void(const api::Value& object)>;
  using OnUpdate = std::function<void(const api::Value& old_object, const api::Value& object)>;
  // Receives the object's last state (from the DELETED event, or from the cache after a
  // re-list).
  using OnDelete = std::function<void(const api::Value& object)>;

  // `client` must outlive the informer.
  Informer(RestClient* client, ResourceRef ref, InformerOptions options = {});
  // Stops the informer.
  ~Informer();

  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // Registers handlers (any may be empty). Call before Start(); a handler added later sees
  // only the events after it was added.
  void AddHandler(OnAdd on_add, OnUpdate on_update, OnDelete on_delete);

  // Starts the background thread (once; later calls do nothing).
  void Start();
  // Ends the current watch and joins the thread; an in-flight list completes first (bounded by
  // the RestClient timeout). Idempotent; the informer cannot be restarted.
  void Stop();

  // Waits until the first list has been stored in the cache and delivered to the handlers;
  // false when `deadline` passed (or the informer was stopped) before. Handlers must not call
  // it.
  bool WaitForSync(absl::Time deadline);
  bool HasSynced() const;

  // The cached object; nullptr when absent. `ns` is "" for cluster-scoped objects.
  ObjectPtr Get(std::string_view ns, std::string_view name) const;
  // Every cached object, ordered by key.
  std::vector<ObjectPtr> List() const;
  // The last resourceVersion seen (list, event or bookmark); "" before the first list.
  std::string LastSyncResourceVersion() const;
  // Lists done so far (1 after the first sync; more after 410s).
  int64_t list_count() const;
  // The last error met by the loop (OK when none yet).
  absl::Status last_error() const;

  // "namespace/name" or "name".
  static std::string KeyOf(const api::Value& object);

 private:
  struct Handler {
    OnAdd on_add;
    OnUpdate on_update;
    OnDelete on_delete;
  };
  enum class Kind { kAdd, kUpdate, kDelete };
  struct Notification {
    Kind kind;
    ObjectPtr old_object;
    ObjectPtr object;
  };

  void Run();
  // Lists and replaces the cache; false on error (recorded).
  bool Relist();
  // One watch, until it ends; sets *relist when the version expired. Whether events came.
  bool WatchOnce(bool* relist, absl::Status* end);
  // Takes the event's object into the cache.
  void Apply(WatchEvent& event);
  void Notify(const std::vector<Notification>& notifications);
  // Sleeps (interruptibly) for the current backoff and doubles it.
  void Backoff();
  bool Stopping() const;
  void SetError(absl::Status status);

  RestClient* const client_;
  const ResourceRef ref_;
  const InformerOptions options_;

  mutable absl::Mutex mu_;
  std::map<std::string, ObjectPtr> cache_ ABSL_GUARDED_BY(mu_);
  std::string resource_version_ ABSL_GUARDED_BY(mu_);
  bool synced_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t lists_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  WatchStream* current_watch_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::vector<std::shared_ptr<const Handler>> handlers_ ABSL_GUARDED_BY(mu_);
  absl::Duration backoff_;  // informer thread only
  absl::Mutex join_mu_;     // serializes joining thread_
  std::thread thread_;
};

}  // namespace dra::client

#endif  // DRA_CLIENT_INFORMER_H_
