// Prepares and unprepares the claims of one driver on one node: the common part of every
// driver's NodePrepareResources / NodeUnprepareResources, as NVIDIA's gpu-kubelet-plugin does it.
//
// Prepare of one claim:
//   1. Serialized per claim UID (in-process mutex) and across processes by the file lock
//      <state_dir>/pu.lock.
//   2. Already PrepareCompleted in the checkpoint: the stored devices are returned (idempotent).
//   3. GET the ResourceClaim; fails when it is gone, its UID differs (the claim was replaced),
//      or it is not allocated. Only results of this driver count; a result in another pool than
//      this node's fails.
//   4. A device already prepared for another claim fails the prepare, unless either
//      allocation uses admin access or a share ID (consumable capacity).
//   5. A PrepareStarted entry (a prepare interrupted by a crash) is rolled back first.
//   6. Checkpoint PrepareStarted -> DriverPlugin::Prepare -> CDI spec
//      <cdi_dir>/<vendor>-<class>_<claim UID>.json with one device `<claim UID>-<device>[-<share
//      ID>]` per result that has edits -> checkpoint PrepareCompleted with the devices and CDI
//      IDs. A failure rolls back (plugin Unprepare, spec removed, entry dropped).
// Unprepare: unknown claims succeed; otherwise plugin Unprepare, spec removed, entry dropped.
//
// The checkpoint (<state_dir>/checkpoint.json, checkpoint/checkpoint.h) is loaded by Create:
// missing -> empty; written before the last boot (boot ID differs) -> discarded, with its CDI
// specs removed; corrupt -> moved aside to checkpoint.json.corrupt-<unix time> and reported in
// startup_report() (never trusted); PrepareStarted entries are rolled back.
//
// Thread-safe.
#ifndef DRA_DRIVER_AGENT_CLAIM_PREPARER_H_
#define DRA_DRIVER_AGENT_CLAIM_PREPARER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "dra/client/rest_client.h"
#include "dra/driver/agent/driver_plugin.h"
#include "dra/driver/checkpoint/checkpoint.h"
#include "dra/driver/grpc/plugin_handler.h"

namespace dra::driver {

struct ClaimPreparerOptions {
  std::string node_name;  // the pool of this node's devices
  std::string cdi_dir = "/var/run/cdi";
  std::string state_dir;  // per driver; created when missing
  std::string proc_root = "/proc";
  // Fault injection for crash tests: called with "PrepareStarted" once that state is in the
  // checkpoint, and with "CdiSpecWritten" once the spec file exists (before PrepareCompleted).
  std::function<void(std::string_view stage)> after_stage;
};

class ClaimPreparer : public KubeletPluginHandler {
 public:
  // `client` and `plugin` must outlive the preparer.
  static absl::StatusOr<std::unique_ptr<ClaimPreparer>> Create(client::RestClient* client,
                                                               DriverPlugin* plugin,
                                                               ClaimPreparerOptions options);

  std::map<std::string, PrepareResult> NodePrepareResources(
      const std::vector<ClaimRef>& claims) override;
  std::map<std::string, std::string> NodeUnprepareResources(
      const std::vector<ClaimRef>& claims) override;

  // The claims prepared now (completed).
  std::vector<ClaimRef> PreparedClaims() const;
  // What Create found and did with the checkpoint, one line each (empty when nothing notable).
  const std::vector<std::string>& startup_report() const { return startup_report_; }
  std::string checkpoint_path() const;

 private:
  ClaimPreparer(client::RestClient* client, DriverPlugin* plugin, ClaimPreparerOptions options)
      : client_(client), plugin_(plugin), options_(std::move(options)) {}

 public:
  ~ClaimPreparer() override;

 private:
  absl::Status Recover();
  absl::StatusOr<PrepareResult> PrepareOne(const ClaimRef& ref);
  absl::Status UnprepareOne(const std::string& uid);
  // Undoes an entry's plugin state and CDI spec (no checkpoint write).
  absl::Status RollBack(const std::string& uid, const CheckpointClaim& entry);
  absl::Status Save() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::shared_ptr<absl::Mutex> ClaimMutex(const std::string& uid);
  std::string SpecPath(const std::string& uid) const;

  client::RestClient* const client_;
  DriverPlugin* const plugin_;
  const ClaimPreparerOptions options_;
  std::string boot_id_;
  std::vector<std::string> startup_report_;

  mutable absl::Mutex mu_;
  Checkpoint checkpoint_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<absl::Mutex>> claim_mutexes_ ABSL_GUARDED_BY(mu_);
  int prepared_gauge_ = 0;  // metrics collector id
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_AGENT_CLAIM_PREPARER_H_
