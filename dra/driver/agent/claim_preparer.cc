#include "dra/driver/agent/claim_preparer.h"

#include <chrono>
#include <filesystem>
#include <set>
#include <utility>

#include "absl/time/clock.h"
#include "dra/api/codec/codec.h"
#include "dra/base/metrics.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/client/resource_ref.h"
#include "dra/driver/cdi/cdi.h"

namespace dra::driver {
namespace {

constexpr std::chrono::milliseconds kLockTimeout(10000);

std::string RequestOf(const std::string& request) { return request.substr(0, request.find('/')); }

// Records one prepare or unprepare of `driver` on `node`.
void Observe(std::string_view operation, const std::string& driver, const std::string& node,
             absl::Time start, bool ok) {
  metrics::Labels labels{{"driver", driver}, {"node", node}};
  metrics::HistogramFamily(StrCat("dra_node_", operation, "_duration_seconds"),
                           StrCat("Time to ", operation, " one claim's devices of a driver."))
      .Add(labels, metrics::LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(absl::Now() - start));
  prometheus::Counter& errors =
      metrics::CounterFamily(StrCat("dra_node_", operation, "_errors_total"),
                             StrCat("Claims whose ", operation, " failed."))
          .Add(labels);
  if (!ok) errors.Increment();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ClaimPreparer>> ClaimPreparer::Create(client::RestClient* client,
                                                                     DriverPlugin* plugin,
                                                                     ClaimPreparerOptions options) {
  std::error_code ec;
  for (const std::string& dir : {options.state_dir, options.cdi_dir}) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return absl::UnavailableError(StrCat("creating directory ", dir, ": ", ec.message()));
    }
  }
  std::unique_ptr<ClaimPreparer> preparer(new ClaimPreparer(client, plugin, std::move(options)));
  DRA_RETURN_IF_ERROR(preparer->Recover());
  ClaimPreparer* self = preparer.get();
  preparer->prepared_gauge_ = metrics::AddGaugeCollector(
      "dra_node_prepared_claims", "Claims prepared on the node, by driver.", [self] {
        return std::vector<metrics::GaugeSample>{
            {{{"driver", self->plugin_->name()}, {"node", self->options_.node_name}},
             static_cast<double>(self->PreparedClaims().size())}};
      });
  return preparer;
}

ClaimPreparer::~ClaimPreparer() { metrics::RemoveCollector(prepared_gauge_); }

std::string ClaimPreparer::checkpoint_path() const {
  return (std::filesystem::path(options_.state_dir) / "checkpoint.json").string();
}

std::string ClaimPreparer::SpecPath(const std::string& uid) const {
  return cdi::TransientSpecPath(options_.cdi_dir, plugin_->cdi_vendor(), plugin_->cdi_class(), uid);
}

absl::Status ClaimPreparer::Save() { return WriteCheckpoint(checkpoint_path(), checkpoint_); }

absl::Status ClaimPreparer::Recover() {
  absl::StatusOr<std::string> boot_id = ReadBootId(options_.proc_root);
  if (boot_id.ok()) boot_id_ = *boot_id;
  std::string path = checkpoint_path();
  absl::StatusOr<Checkpoint> loaded = LoadCheckpoint(
      path, boot_id_.empty() ? std::nullopt : std::optional<std::string_view>(boot_id_));
  Checkpoint checkpoint;
  if (loaded.ok()) {
    checkpoint = *std::move(loaded);
  } else if (absl::IsNotFound(loaded.status())) {
    // First start.
  } else if (IsBootIdMismatch(loaded.status())) {
    startup_report_.push_back(StrCat("checkpoint ", path,
                                     " was written before the last reboot: prepared claims "
                                     "discarded"));
    // The stale specs of that boot are removed; the entries themselves are not trusted.
    absl::StatusOr<Checkpoint> stale = LoadCheckpoint(path);
    if (stale.ok()) {
      for (const auto& [uid, entry] : stale->claims) (void)cdi::RemoveSpecFile(SpecPath(uid));
    }
  } else {
    std::string aside = StrCat(path, ".corrupt-", absl::ToUnixSeconds(absl::Now()));
    std::error_code ec;
    std::filesystem::rename(path, aside, ec);
    startup_report_.push_back(StrCat("checkpoint is corrupt and was not used (",
                                     loaded.status().message(), "); moved to ", aside));
  }
  checkpoint.node_boot_id = boot_id_;
  std::vector<std::string> rolled_back;
  for (auto it = checkpoint.claims.begin(); it != checkpoint.claims.end();) {
    if (it->second.state == ClaimPrepareState::kPrepareStarted) {
      (void)RollBack(it->first, it->second);
      rolled_back.push_back(StrCat(it->second.namespace_, "/", it->second.name));
      it = checkpoint.claims.erase(it);
    } else {
      ++it;
    }
  }
  for (const std::string& claim : rolled_back) {
    startup_report_.push_back(StrCat("rolled back the interrupted prepare of claim ", claim));
  }
  // Specs of this driver's kind that no prepared claim owns (left by a checkpoint that could not
  // be trusted) are removed, so that the CDI directory matches the checkpoint.
  std::string prefix = StrCat(plugin_->cdi_vendor(), "-", plugin_->cdi_class(), "_");
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(options_.cdi_dir, ec)) {
    std::string name = file.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    std::string uid = name.substr(prefix.size());
    uid = uid.substr(0, uid.rfind('.'));
    if (checkpoint.claims.count(uid) > 0) continue;
    if (cdi::RemoveSpecFile(file.path().string()).ok()) {
      startup_report_.push_back(StrCat("removed CDI spec ", name, " of no prepared claim"));
    }
  }
  absl::MutexLock lock(&mu_);
  checkpoint_ = std::move(checkpoint);
  return Save();
}

std::shared_ptr<absl::Mutex> ClaimPreparer::ClaimMutex(const std::string& uid) {
  absl::MutexLock lock(&mu_);
  std::shared_ptr<absl::Mutex>& mutex = claim_mutexes_[uid];
  if (mutex == nullptr) mutex = std::make_shared<absl::Mutex>();
  return mutex;
}

std::vector<ClaimRef> ClaimPreparer::PreparedClaims() const {
  absl::MutexLock lock(&mu_);
  std::vector<ClaimRef> refs;
  for (const auto& [uid, entry] : checkpoint_.claims) {
    if (entry.state != ClaimPrepareState::kPrepareCompleted) continue;
    refs.push_back(ClaimRef{.namespace_name = entry.namespace_, .uid = uid, .name = entry.name});
  }
  return refs;
}

std::map<std::string, PrepareResult> ClaimPreparer::NodePrepareResources(
    const std::vector<ClaimRef>& claims) {
  std::map<std::string, PrepareResult> results;
  for (const ClaimRef& ref : claims) {
    std::shared_ptr<absl::Mutex> claim_mutex = ClaimMutex(ref.uid);
    absl::MutexLock claim_lock(claim_mutex.get());
    absl::StatusOr<FileLock> file_lock = FileLock::Acquire(
        (std::filesystem::path(options_.state_dir) / "pu.lock").string(), kLockTimeout);
    if (!file_lock.ok()) {
      results[ref.uid].error = std::string(file_lock.status().message());
      continue;
    }
    absl::Time start = absl::Now();
    absl::StatusOr<PrepareResult> result = PrepareOne(ref);
    Observe("prepare", plugin_->name(), options_.node_name, start, result.ok());
    if (result.ok()) {
      results[ref.uid] = *std::move(result);
    } else {
      results[ref.uid].error = std::string(result.status().message());
    }
  }
  return results;
}

std::map<std::string, std::string> ClaimPreparer::NodeUnprepareResources(
    const std::vector<ClaimRef>& claims) {
  std::map<std::string, std::string> results;
  for (const ClaimRef& ref : claims) {
    std::shared_ptr<absl::Mutex> claim_mutex = ClaimMutex(ref.uid);
    absl::MutexLock claim_lock(claim_mutex.get());
    absl::StatusOr<FileLock> file_lock = FileLock::Acquire(
        (std::filesystem::path(options_.state_dir) / "pu.lock").string(), kLockTimeout);
    absl::Time start = absl::Now();
    absl::Status status = file_lock.ok() ? UnprepareOne(ref.uid) : file_lock.status();
    Observe("unprepare", plugin_->name(), options_.node_name, start, status.ok());
    results[ref.uid] = status.ok() ? "" : std::string(status.message());
  }
  return results;
}

absl::Status ClaimPreparer::RollBack(const std::string& uid, const CheckpointClaim& entry) {
  absl::Status plugin = plugin_->Unprepare(uid, entry.driver_data);
  absl::Status spec = cdi::RemoveSpecFile(SpecPath(uid));
  return plugin.ok() ? spec : plugin;
}

absl::StatusOr<PrepareResult> ClaimPreparer::PrepareOne(const ClaimRef& ref) {
  std::string who = StrCat("ResourceClaim ", ref.namespace_name, "/", ref.name);
  {
    absl::MutexLock lock(&mu_);
    auto it = checkpoint_.claims.find(ref.uid);
    if (it != checkpoint_.claims.end() &&
        it->second.state == ClaimPrepareState::kPrepareCompleted) {
      PrepareResult result;
      for (const CheckpointDevice& device : it->second.devices) {
        result.devices.push_back(PreparedDevice{.request_names = device.request_names,
                                                .pool_name = device.pool_name,
                                                .device_name = device.device_name,
                                                .cdi_device_ids = device.cdi_device_ids,
                                                .share_id = device.share_id});
      }
      return result;
    }
  }
  absl::StatusOr<api::Value> value =
      client_->Get(client::ResourceClaims(), ref.namespace_name, ref.name);
  if (absl::IsNotFound(value.status())) {
    return absl::NotFoundError(StrCat(who, " not found"));
  }
  DRA_RETURN_IF_ERROR(value.status());
  DRA_ASSIGN_OR_RETURN(api::ResourceClaim claim,
                       api::DecodeAs<api::ResourceClaim>(*value, {.strict = false}));
  if (claim.metadata.uid != ref.uid) {
    return absl::FailedPreconditionError(StrCat(who, ": UID ", ref.uid,
                                                " requested, the claim now has UID ",
                                                claim.metadata.uid, " (it got replaced)"));
  }
  if (!claim.status.allocation.has_value()) {
    return absl::FailedPreconditionError(StrCat(who, " is not allocated"));
  }
  std::vector<api::DeviceRequestAllocationResult> results;
  for (const api::DeviceRequestAllocationResult& result :
       claim.status.allocation->devices.results) {
    if (result.driver != plugin_->name()) continue;
    if (result.pool != options_.node_name) {
      return absl::FailedPreconditionError(StrCat(who, ": device ", result.pool, "/", result.device,
                                                  " is not on node ", options_.node_name));
    }
    results.push_back(result);
  }

  CheckpointClaim entry;
  entry.namespace_ = ref.namespace_name;
  entry.name = ref.name;
  entry.state = ClaimPrepareState::kPrepareStarted;
  {
    absl::MutexLock lock(&mu_);
    // Exclusive devices are prepared for one claim at a time; claims with adminAccess (e.g.
    // monitoring) use a device besides the claim it is allocated to.
    for (const api::DeviceRequestAllocationResult& result : results) {
      if (result.admin_access.value_or(false) || result.share_id.has_value()) continue;
      for (const auto& [uid, other] : checkpoint_.claims) {
        if (uid == ref.uid) continue;
        for (const CheckpointDevice& device : other.devices) {
          if (device.pool_name == result.pool && device.device_name == result.device &&
              !device.share_id.has_value() && !device.admin_access) {
            return absl::FailedPreconditionError(
                StrCat(who, ": device ", result.device, " is already prepared for claim ",
                       other.namespace_, "/", other.name, " (", uid, ")"));
          }
        }
      }
    }
    auto stale = checkpoint_.claims.find(ref.uid);
    if (stale != checkpoint_.claims.end()) {
      CheckpointClaim old = stale->second;
      checkpoint_.claims.erase(stale);
      mu_.Unlock();
      absl::Status rolled_back = RollBack(ref.uid, old);
      mu_.Lock();
      DRA_RETURN_IF_ERROR(rolled_back);
    }
    for (const api::DeviceRequestAllocationResult& result : results) {
      entry.devices.push_back(
          CheckpointDevice{.request_names = {RequestOf(result.request)},
                           .pool_name = result.pool,
                           .device_name = result.device,
                           .share_id = result.share_id,
                           .admin_access = result.admin_access.value_or(false)});
    }
    checkpoint_.claims[ref.uid] = entry;
    DRA_RETURN_IF_ERROR(Save());
  }
  if (options_.after_stage) options_.after_stage("PrepareStarted");

  auto fail = [&](absl::Status status, const api::Value& driver_data) -> absl::Status {
    (void)plugin_->Unprepare(ref.uid, driver_data);
    (void)cdi::RemoveSpecFile(SpecPath(ref.uid));
    absl::MutexLock lock(&mu_);
    checkpoint_.claims.erase(ref.uid);
    (void)Save();
    return status;
  };
  absl::StatusOr<ClaimPreparation> prep = results.empty()
                                              ? absl::StatusOr<ClaimPreparation>(ClaimPreparation{})
                                              : plugin_->Prepare(claim, results);
  if (!prep.ok()) {
    return fail(absl::Status(prep.status().code(), StrCat(who, ": ", prep.status().message())),
                api::Value());
  }
  if (prep->device_edits.size() != results.size()) {
    return fail(absl::InternalError(StrCat(who, ": driver returned ", prep->device_edits.size(),
                                           " device edits for ", results.size(), " devices")),
                prep->driver_data);
  }
  cdi::Spec spec;
  spec.kind = StrCat(plugin_->cdi_vendor(), "/", plugin_->cdi_class());
  spec.container_edits = prep->common_edits;
  for (size_t i = 0; i < results.size(); ++i) {
    if (prep->device_edits[i].empty()) continue;
    std::string name = StrCat(ref.uid, "-", results[i].device);
    if (results[i].share_id.has_value()) name = StrCat(name, "-", *results[i].share_id);
    spec.devices.push_back(cdi::Device{.name = name, .container_edits = prep->device_edits[i]});
    entry.devices[i].cdi_device_ids.push_back(
        cdi::QualifiedDeviceName(plugin_->cdi_vendor(), plugin_->cdi_class(), name));
  }
  if (!spec.devices.empty()) {
    spec.cdi_version = cdi::MinimumCdiVersion(spec);
    absl::Status written = cdi::WriteSpecFile(spec, SpecPath(ref.uid));
    if (!written.ok()) {
      return fail(absl::Status(written.code(), StrCat(who, ": ", written.message())),
                  prep->driver_data);
    }
    if (options_.after_stage) options_.after_stage("CdiSpecWritten");
  }
  entry.state = ClaimPrepareState::kPrepareCompleted;
  entry.driver_data = prep->driver_data;
  {
    absl::MutexLock lock(&mu_);
    checkpoint_.claims[ref.uid] = entry;
    absl::Status saved = Save();
    if (!saved.ok()) {
      mu_.Unlock();
      absl::Status failed = fail(saved, prep->driver_data);
      mu_.Lock();
      return failed;
    }
  }
  PrepareResult result;
  for (const CheckpointDevice& device : entry.devices) {
    result.devices.push_back(PreparedDevice{.request_names = device.request_names,
                                            .pool_name = device.pool_name,
                                            .device_name = device.device_name,
                                            .cdi_device_ids = device.cdi_device_ids,
                                            .share_id = device.share_id});
  }
  return result;
}

absl::Status ClaimPreparer::UnprepareOne(const std::string& uid) {
  CheckpointClaim entry;
  {
    absl::MutexLock lock(&mu_);
    auto it = checkpoint_.claims.find(uid);
    if (it == checkpoint_.claims.end()) return absl::OkStatus();
    entry = it->second;
  }
  DRA_RETURN_IF_ERROR(RollBack(uid, entry));
  absl::MutexLock lock(&mu_);
  checkpoint_.claims.erase(uid);
  return Save();
}

}  // namespace dra::driver
