// Background work that kube-controller-manager does upstream for the objects dra serves, run
// inside `dra server`:
// - garbage collection by metadata.ownerReferences: an object whose owners are all gone is
//   deleted (background propagation), dangling references next to live owners are removed;
//   owners deleted with propagationPolicy=Foreground keep their `foregroundDeletion` finalizer
//   until their dependents are gone, owners deleted with Orphan have the references to them
//   removed from their dependents before their `orphan` finalizer is dropped;
// - namespace deletion: a terminating namespace is emptied (every namespaced object in it is
//   deleted), then its `kubernetes` finalizer is removed and the namespace goes away.
//
// It keeps an index of every object's uid, owners and namespace fed by one watch on the whole
// store, so a deletion costs work proportional to the dependents it affects.
//
// Thread-safe: Start and Stop from any thread; the work runs on one internal thread.
#ifndef DRA_APISERVER_CONTROLLERS_H_
#define DRA_APISERVER_CONTROLLERS_H_

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "dra/apiserver/registry.h"

namespace dra::apiserver {

class Controllers {
 public:
  explicit Controllers(Registry* registry);
  ~Controllers();

  // Builds the index from a list of the store and starts the worker thread.
  absl::Status Start();
  // Stops the worker thread (idempotent).
  void Stop();

  // The number of store events processed so far (for tests waiting on the worker).
  int64_t processed_revision() const { return processed_revision_.load(); }

 private:
  struct Entry {
    const ResourceType* type = nullptr;
    std::string ns;
    std::string name;
    std::vector<std::string> owners;  // uids
    bool deleting = false;
    std::vector<std::string> finalizers;
    bool namespace_finalizer = false;  // namespaces: spec.finalizers holds "kubernetes"
  };

  void Run();
  // Indexes the object stored at `key` (`kv` null: it was deleted); `remember`: keep its decoded
  // document in the registry (not for the initial list).
  void Apply(const std::string& key, const store::KeyValue* kv, bool remember);
  void Process(const std::string& uid);
  void Enqueue(const std::string& uid) { queue_.insert(uid); }
  // Removes `finalizer` from the object; false when the write failed (retried later).
  bool RemoveFinalizer(const Entry& entry, std::string_view finalizer);
  bool RemoveOwnerReferences(const Entry& entry, const std::set<std::string>& owner_uids);
  bool DeleteObject(const Entry& entry);

  Registry* registry_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> processed_revision_{0};
  std::unique_ptr<store::WatchStream> stream_;

  // Worker-thread state.
  std::map<std::string, std::string> uid_by_key_;
  std::map<std::string, Entry> entries_;                            // by uid
  std::map<std::string, std::set<std::string>> dependents_;         // owner uid -> dependents
  std::map<std::string, std::set<std::string>> namespace_members_;  // ns -> uids
  std::map<std::string, std::string> namespace_uid_;                // ns name -> uid
  std::set<std::string> queue_;
  std::set<std::string> retry_;
};

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_CONTROLLERS_H_
