// One DRA driver of the node agent (gpu.nvidia.com, dra.cpu, dra.net): what it publishes, the
// DeviceClasses it installs, and how it prepares its devices for a claim. The agent's
// ClaimPreparer does the common part of a prepare (claim lookup and checks, checkpoint, CDI
// spec file); a plugin only says what each device needs.
//
// Thread-safety: implementations are thread-safe. Prepare/Unprepare are never called
// concurrently for the same claim (the ClaimPreparer serializes per claim), but may be for
// different claims.
#ifndef DRA_DRIVER_AGENT_DRIVER_PLUGIN_H_
#define DRA_DRIVER_AGENT_DRIVER_PLUGIN_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"
#include "dra/api/value.h"
#include "dra/driver/cdi/cdi.h"
#include "dra/driver/grpc/plugin_handler.h"
#include "dra/driver/resources.h"

namespace dra::driver {

// What preparing one claim's devices of a driver takes.
struct ClaimPreparation {
  // Spec-level edits of the claim's CDI spec (applied when any of its devices is used).
  cdi::ContainerEdits common_edits;
  // One entry per allocation result, in the order given to Prepare. An entry with empty edits
  // gets no CDI device (e.g. a NIC moved into the pod's network namespace by other means).
  std::vector<cdi::ContainerEdits> device_edits;
  // Kept in the checkpoint and handed back to Unprepare (what was applied, to undo it).
  api::Value driver_data;
};

class DriverPlugin {
 public:
  virtual ~DriverPlugin() = default;

  // The driver name ("gpu.nvidia.com").
  virtual std::string name() const = 0;
  // CDI vendor and class of the per-claim specs: ("k8s.gpu.nvidia.com", "claim").
  virtual std::string cdi_vendor() const = 0;
  virtual std::string cdi_class() const = 0;

  // The devices and counters to publish (without health taints: the agent adds them).
  virtual absl::StatusOr<DriverResources> Resources() = 0;
  virtual std::vector<api::DeviceClass> DeviceClasses() const = 0;

  // Checks and prepares `results` (this driver's allocation results of `claim`, all in this
  // node's pool). A Status error fails the claim's prepare with its message (the kubelet
  // retries); nothing must be left applied then.
  virtual absl::StatusOr<ClaimPreparation> Prepare(
      const api::ResourceClaim& claim,
      const std::vector<api::DeviceRequestAllocationResult>& results) = 0;
  // Undoes what Prepare applied for `claim_uid` (from its driver_data). Idempotent.
  virtual absl::Status Unprepare(const std::string& claim_uid, const api::Value& driver_data) = 0;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_AGENT_DRIVER_PLUGIN_H_
