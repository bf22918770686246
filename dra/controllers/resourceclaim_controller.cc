#include "dra/controllers/resourceclaim_controller.h"

#include <algorithm>
#include <utility>

#include "dra/api/codec/codec.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/client/errors.h"
#include "dra/client/resource_ref.h"

namespace dra::controllers {
namespace {

constexpr std::string_view kPodKeyPrefix = "pod:";
constexpr std::string_view kClaimKeyPrefix = "claim:";
// Upstream's ResourceClaimReservedForMaxSize.
constexpr size_t kReservedForMaxSize = 256;

std::string Key(std::string_view ns, std::string_view name) { return dra::StrCat(ns, "/", name); }

template <typename T>
absl::StatusOr<T> Decode(const api::Value& object) {
  return api::DecodeAs<T>(object, api::DecodeOptions{.strict = false});
}

bool IsDeleting(const api::ObjectMeta& meta) { return meta.deletion_timestamp.has_value(); }

bool HasFinalizer(const api::ObjectMeta& meta) {
  return std::find(meta.finalizers.begin(), meta.finalizers.end(), api::kFinalizer) !=
         meta.finalizers.end();
}

// The controlling pod owner of a claim: name and uid (empty when none).
std::pair<std::string, std::string> OwningPod(const api::ResourceClaim& claim) {
  for (const api::OwnerReference& owner : claim.metadata.owner_references) {
    if (owner.controller.value_or(false) && owner.api_version == "v1" && owner.kind == "Pod") {
      return {owner.name, owner.uid};
    }
  }
  return {"", ""};
}

bool IsReservedForPod(const api::ResourceClaim& claim, std::string_view pod_uid) {
  for (const api::ResourceClaimConsumerReference& ref : claim.status.reserved_for) {
    if (ref.uid == pod_uid) return true;
  }
  return false;
}

// Removes `name` from metadata.finalizers of a document; whether it was there.
bool RemoveFinalizer(api::Value& object, std::string_view name) {
  api::Value* meta = object.FindMutable("metadata");
  if (meta == nullptr) return false;
  api::Value* finalizers = meta->FindMutable("finalizers");
  if (finalizers == nullptr || !finalizers->is_array()) return false;
  std::vector<api::Value>& items = finalizers->mutable_items();
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const api::Value& v) { return v.is_string() && v.text() == name; });
  if (it == items.end()) return false;
  items.erase(it);
  return true;
}

api::Value& StatusOf(api::Value& object) {
  api::Value* status = object.FindMutable("status");
  if (status == nullptr || !status->is_object()) return object.Set("status", api::Value::Object());
  return *status;
}

}  // namespace

ResourceClaimController::ResourceClaimController(client::RestClient* client, Options options)
    : client_(client),
      options_(std::move(options)),
      queue_(options_.min_retry_backoff, options_.max_retry_backoff) {}

ResourceClaimController::~ResourceClaimController() { Stop(); }

std::string ResourceClaimController::GenerateNameFor(std::string_view pod_name,
                                                     std::string_view claim_name) {
  std::string generate_name = dra::StrCat(pod_name, "-", claim_name, "-");
  if (generate_name.size() > kMaxGenerateNameBase) {
    // Shorten both parts in proportion to their length, as upstream does (the apiserver would
    // cut only the end, losing the claim name).
    size_t total = generate_name.size();
    generate_name =
        dra::StrCat(pod_name.substr(0, pod_name.size() * kMaxGenerateNameBase / total), "-",
                    claim_name.substr(0, claim_name.size() * kMaxGenerateNameBase / total));
  }
  return generate_name;
}

ResourceClaimController::ClaimName ResourceClaimController::ResolveClaimName(
    const api::Pod& pod, const api::PodResourceClaim& pod_claim) {
  ClaimName result;
  if (pod_claim.resource_claim_name.has_value()) {
    result.kind = ClaimName::Kind::kName;
    result.name = *pod_claim.resource_claim_name;
    return result;
  }
  if (pod_claim.resource_claim_template_name.has_value()) {
    for (const api::PodResourceClaimStatus& status : pod.status.resource_claim_statuses) {
      if (status.name != pod_claim.name) continue;
      if (!status.resource_claim_name.has_value()) {
        result.kind = ClaimName::Kind::kNotNeeded;
        return result;
      }
      result.kind = ClaimName::Kind::kName;
      result.name = *status.resource_claim_name;
      result.check_owner = true;
      return result;
    }
    result.kind = ClaimName::Kind::kNotGenerated;
    return result;
  }
  result.kind = ClaimName::Kind::kUnsupported;
  return result;
}

bool ResourceClaimController::IsPodDone(const api::Pod& pod) {
  return pod.status.phase == "Succeeded" || pod.status.phase == "Failed" ||
         (IsDeleting(pod.metadata) && pod.spec.node_name.empty());
}

bool ResourceClaimController::IsOwnedBy(const api::ResourceClaim& claim, std::string_view pod_uid) {
  for (const api::OwnerReference& owner : claim.metadata.owner_references) {
    if (owner.uid == pod_uid) return true;
  }
  return false;
}

absl::Status ResourceClaimController::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (started_ || stopped_) {
      return absl::FailedPreconditionError("ResourceClaimController: already started or stopped");
    }
    started_ = true;
    client::InformerOptions informer_options = options_.informer;
    informer_options.ns = options_.ns;
    pods_ = std::make_unique<client::Informer>(client_, client::Pods(), informer_options);
    claims_ =
        std::make_unique<client::Informer>(client_, client::ResourceClaims(), informer_options);
    templates_ = std::make_unique<client::Informer>(client_, client::ResourceClaimTemplates(),
                                                    informer_options);
  }
  pods_->AddHandler([this](const api::Value& o) { OnPod(o, false); },
                    [this](const api::Value&, const api::Value& o) { OnPod(o, false); },
                    [this](const api::Value& o) { OnPod(o, true); });
  claims_->AddHandler([this](const api::Value& o) { OnClaim(nullptr, &o); },
                      [this](const api::Value& old, const api::Value& o) { OnClaim(&old, &o); },
                      [this](const api::Value& o) { OnClaim(&o, nullptr); });
  templates_->AddHandler([this](const api::Value& o) { OnTemplate(o); },
                         [this](const api::Value&, const api::Value& o) { OnTemplate(o); },
                         nullptr);
  // Claims first: pod handlers consult the claim cache.
  claims_->Start();
  templates_->Start();
  pods_->Start();
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    workers_.emplace_back([this] { Run(); });
  }
  return absl::OkStatus();
}

void ResourceClaimController::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
    if (!started_) return;
  }
  stopping_ = true;
  queue_.ShutDown();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  pods_->Stop();
  claims_->Stop();
  templates_->Stop();
}

bool ResourceClaimController::WaitForSync(absl::Time deadline) {
  {
    absl::MutexLock lock(&mu_);
    if (!started_) return false;
  }
  return claims_->WaitForSync(deadline) && templates_->WaitForSync(deadline) &&
         pods_->WaitForSync(deadline);
}

absl::Status ResourceClaimController::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

// ---- Event handlers (informer threads) ----

void ResourceClaimController::OnPod(const api::Value& object, bool deleted) {
  absl::StatusOr<api::Pod> pod = Decode<api::Pod>(object);
  if (!pod.ok()) return;
  std::string pod_key = Key(pod->metadata.namespace_, pod->metadata.name);
  // Maintain the claim -> pods index.
  {
    absl::MutexLock lock(&mu_);
    auto old = claims_of_pod_.find(pod_key);
    if (old != claims_of_pod_.end()) {
      for (const std::string& claim_key : old->second) {
        auto it = pods_by_claim_.find(claim_key);
        if (it == pods_by_claim_.end()) continue;
        it->second.erase(pod_key);
        if (it->second.empty()) pods_by_claim_.erase(it);
      }
      claims_of_pod_.erase(old);
    }
    if (!deleted) {
      std::vector<std::string> keys;
      for (const api::PodResourceClaim& pod_claim : pod->spec.resource_claims) {
        ClaimName name = ResolveClaimName(*pod, pod_claim);
        if (name.kind != ClaimName::Kind::kName) continue;
        keys.push_back(Key(pod->metadata.namespace_, name.name));
        pods_by_claim_[keys.back()].insert(pod_key);
      }
      if (!keys.empty()) claims_of_pod_[pod_key] = std::move(keys);
    }
  }
  EnqueuePod(*pod, deleted);
}

void ResourceClaimController::EnqueuePod(const api::Pod& pod, bool deleted) {
  if (pod.spec.resource_claims.empty()) return;
  if (deleted) {
    absl::MutexLock lock(&mu_);
    if (deleted_pods_.insert(pod.metadata.uid).second) {
      deleted_order_.push_back(pod.metadata.uid);
      while (deleted_order_.size() > options_.deleted_pod_cache_size) {
        deleted_pods_.erase(deleted_order_.front());
        deleted_order_.pop_front();
      }
    }
  }
  // Release the reservations of a deleted or completed pod (upstream podNeedsClaims).
  bool needs_claims =
      !deleted && !IsPodDone(pod) && !(IsDeleting(pod.metadata) && pod.spec.node_name.empty());
  if (!needs_claims) {
    for (const api::PodResourceClaim& pod_claim : pod.spec.resource_claims) {
      ClaimName name = ResolveClaimName(pod, pod_claim);
      if (name.kind == ClaimName::Kind::kName) {
        queue_.Add(dra::StrCat(kClaimKeyPrefix, Key(pod.metadata.namespace_, name.name)));
      }
    }
  }
  if (!deleted && PodNeedsWork(pod)) {
    queue_.Add(dra::StrCat(kPodKeyPrefix, Key(pod.metadata.namespace_, pod.metadata.name)));
  }
}

bool ResourceClaimController::PodNeedsWork(const api::Pod& pod) {
  // A pod that is being deleted or done needs no claims (a generated claim deleted after its
  // pod finished must not come back).
  if (IsDeleting(pod.metadata) || IsPodDone(pod)) return false;
  for (const api::PodResourceClaim& pod_claim : pod.spec.resource_claims) {
    ClaimName name = ResolveClaimName(pod, pod_claim);
    switch (name.kind) {
      case ClaimName::Kind::kUnsupported:
      case ClaimName::Kind::kNotGenerated:
        return true;  // must create the claim from its template (or report the problem)
      case ClaimName::Kind::kNotNeeded:
        return false;
      case ClaimName::Kind::kName:
        break;
    }
    client::Informer::ObjectPtr object = LookupClaim(pod.metadata.namespace_, name.name);
    if (object == nullptr) {
      // Generated claims are re-created; a user's claim must be created by the user.
      if (pod_claim.resource_claim_template_name.has_value()) return true;
      return false;
    }
    absl::StatusOr<api::ResourceClaim> claim = Decode<api::ResourceClaim>(*object);
    if (!claim.ok()) return true;
    if (name.check_owner && !IsOwnedBy(*claim, pod.metadata.uid)) return false;
    if (pod.spec.node_name.empty()) continue;
    if (claim->status.allocation.has_value() && !IsReservedForPod(*claim, pod.metadata.uid) &&
        claim->status.reserved_for.size() < kReservedForMaxSize) {
      return true;  // must reserve it
    }
  }
  return false;
}

void ResourceClaimController::OnClaim(const api::Value* old_object, const api::Value* object) {
  const api::Value* current = object != nullptr ? object : old_object;
  absl::StatusOr<api::ResourceClaim> claim = Decode<api::ResourceClaim>(*current);
  if (!claim.ok()) return;
  std::string claim_key = Key(claim->metadata.namespace_, claim->metadata.name);
  std::vector<std::string> pod_keys;
  {
    absl::MutexLock lock(&mu_);
    created_.erase(claim_key);  // the informer knows it now (or it is gone)
    if (old_object != nullptr) {
      absl::StatusOr<api::ResourceClaim> old = Decode<api::ResourceClaim>(*old_object);
      if (old.ok()) {
        auto [name, uid] = OwningPod(*old);
        auto it = claims_by_owner_.find(uid);
        if (!uid.empty() && it != claims_by_owner_.end()) {
          it->second.erase(claim_key);
          if (it->second.empty()) claims_by_owner_.erase(it);
        }
      }
    }
    if (object != nullptr) {
      auto [name, uid] = OwningPod(*claim);
      if (!uid.empty()) claims_by_owner_[uid].insert(claim_key);
    }
    auto it = pods_by_claim_.find(claim_key);
    if (it != pods_by_claim_.end()) pod_keys.assign(it->second.begin(), it->second.end());
  }
  // New or updated claims are checked for stale reservations.
  if (object != nullptr) queue_.Add(dra::StrCat(kClaimKeyPrefix, claim_key));
  for (const std::string& pod_key : pod_keys) {
    size_t slash = pod_key.find('/');
    client::Informer::ObjectPtr pod_object =
        pods_->Get(pod_key.substr(0, slash), pod_key.substr(slash + 1));
    if (pod_object == nullptr) continue;
    absl::StatusOr<api::Pod> pod = Decode<api::Pod>(*pod_object);
    if (pod.ok()) EnqueuePod(*pod, false);
  }
}

void ResourceClaimController::OnTemplate(const api::Value& object) {
  // Not upstream: pods waiting for a template that just appeared are retried at once rather
  // than after their backoff.
  absl::StatusOr<api::ResourceClaimTemplate> tmpl = Decode<api::ResourceClaimTemplate>(object);
  if (!tmpl.ok()) return;
  for (const client::Informer::ObjectPtr& pod_object : pods_->List()) {
    absl::StatusOr<api::Pod> pod = Decode<api::Pod>(*pod_object);
    if (!pod.ok() || pod->metadata.namespace_ != tmpl->metadata.namespace_) continue;
    for (const api::PodResourceClaim& pod_claim : pod->spec.resource_claims) {
      if (pod_claim.resource_claim_template_name == tmpl->metadata.name &&
          ResolveClaimName(*pod, pod_claim).kind == ClaimName::Kind::kNotGenerated) {
        queue_.Add(dra::StrCat(kPodKeyPrefix, Key(pod->metadata.namespace_, pod->metadata.name)));
        break;
      }
    }
  }
}

// ---- Worker ----

void ResourceClaimController::Run() {
  // Wait for the caches, interruptibly.
  while (!stopping_) {
    if (WaitForSync(absl::Now() + absl::Milliseconds(100))) break;
  }
  while (!stopping_) {
    std::optional<std::string> key = queue_.Get();
    if (!key.has_value()) return;
    absl::Status status = Sync(*key);
    if (status.ok()) {
      queue_.Forget(*key);
    } else {
      ++sync_errors_;
      {
        absl::MutexLock lock(&mu_);
        last_error_ = absl::Status(status.code(), dra::StrCat(*key, ": ", status.message()));
      }
      queue_.AddRateLimited(*key);
    }
    queue_.Done(*key);
  }
}

absl::Status ResourceClaimController::Sync(const std::string& key) {
  std::string_view rest = key;
  bool pod = rest.starts_with(kPodKeyPrefix);
  if (!pod && !rest.starts_with(kClaimKeyPrefix)) {
    return absl::InvalidArgumentError(dra::StrCat("unexpected key: ", key));
  }
  rest.remove_prefix(pod ? kPodKeyPrefix.size() : kClaimKeyPrefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return absl::InvalidArgumentError(dra::StrCat("unexpected key: ", key));
  }
  std::string_view ns = rest.substr(0, slash);
  std::string_view name = rest.substr(slash + 1);
  return pod ? SyncPod(ns, name) : SyncClaim(ns, name);
}

client::Informer::ObjectPtr ResourceClaimController::LookupClaim(std::string_view ns,
                                                                 std::string_view name) {
  if (client::Informer::ObjectPtr cached = claims_->Get(ns, name); cached != nullptr) {
    return cached;
  }
  absl::MutexLock lock(&mu_);
  auto it = created_.find(Key(ns, name));
  if (it == created_.end()) return nullptr;
  return it->second;
}

std::optional<std::string> ResourceClaimController::FindPodResourceClaim(
    const api::Pod& pod, std::string_view pod_claim_name) {
  std::vector<std::string> keys;
  {
    absl::MutexLock lock(&mu_);
    auto it = claims_by_owner_.find(pod.metadata.uid);
    if (it != claims_by_owner_.end()) keys.assign(it->second.begin(), it->second.end());
  }
  for (const std::string& key : keys) {
    size_t slash = key.find('/');
    if (key.substr(0, slash) != pod.metadata.namespace_) continue;
    client::Informer::ObjectPtr object = LookupClaim(key.substr(0, slash), key.substr(slash + 1));
    if (object == nullptr) continue;
    absl::StatusOr<api::ResourceClaim> claim = Decode<api::ResourceClaim>(*object);
    if (!claim.ok() || OwningPod(*claim).second != pod.metadata.uid) continue;
    auto annotation = claim->metadata.annotations.find(std::string(kPodClaimNameAnnotation));
    // Without the annotation it was not generated; pick the first match (there should be one).
    if (annotation == claim->metadata.annotations.end() || annotation->second != pod_claim_name) {
      continue;
    }
    return claim->metadata.name;
  }
  return std::nullopt;
}

absl::Status ResourceClaimController::SyncPod(std::string_view ns, std::string_view name) {
  client::Informer::ObjectPtr object = pods_->Get(ns, name);
  if (object == nullptr) return absl::OkStatus();  // gone
  DRA_ASSIGN_OR_RETURN(api::Pod pod, Decode<api::Pod>(*object));
  if (IsDeleting(pod.metadata) || IsPodDone(pod)) return absl::OkStatus();

  std::map<std::string, std::string> new_claims;
  for (const api::PodResourceClaim& pod_claim : pod.spec.resource_claims) {
    absl::Status status = HandleClaim(pod, pod_claim, &new_claims);
    if (!status.ok()) {
      return absl::Status(status.code(), dra::StrCat("pod ", ns, "/", name, ", PodResourceClaim ",
                                                     pod_claim.name, ": ", status.message()));
    }
  }

  if (!new_claims.empty()) {
    // Record the generated claims in pod.status.resourceClaimStatuses, keeping the other
    // entries (upstream applies them with server-side apply, merging by name).
    api::Value updated = *object;
    api::Value& status = StatusOf(updated);
    api::Value entries = api::Value::Array();
    if (const api::Value* existing = status.Find("resourceClaimStatuses");
        existing != nullptr && existing->is_array()) {
      for (const api::Value& entry : existing->items()) {
        const api::Value* entry_name = entry.Find("name");
        if (entry_name != nullptr && new_claims.contains(entry_name->text())) continue;
        entries.Append(entry);
      }
    }
    for (const auto& [pod_claim_name, claim_name] : new_claims) {
      entries.Append(api::Value::Object({{"name", api::Value::String(pod_claim_name)},
                                         {"resourceClaimName", api::Value::String(claim_name)}}));
    }
    status.Set("resourceClaimStatuses", std::move(entries));
    absl::StatusOr<api::Value> written = client_->UpdateStatus(
        client::Pods(), ns, updated,
        client::WriteOptions{.field_manager = std::string(kResourceClaimControllerName)});
    if (!written.ok()) {
      return absl::Status(written.status().code(),
                          dra::StrCat("update pod ", ns, "/", name,
                                      " ResourceClaimStatuses: ", written.status().message()));
    }
    return absl::OkStatus();  // the update event brings the pod back for the rest
  }

  if (pod.spec.node_name.empty()) return absl::OkStatus();  // the scheduler reserves

  for (const api::PodResourceClaim& pod_claim : pod.spec.resource_claims) {
    ClaimName claim_name = ResolveClaimName(pod, pod_claim);
    if (claim_name.kind == ClaimName::Kind::kNotNeeded) continue;
    if (claim_name.kind != ClaimName::Kind::kName) {
      return absl::FailedPreconditionError(
          dra::StrCat("pod ", ns, "/", name, ": PodResourceClaim ", pod_claim.name,
                      ": cannot determine the ResourceClaim name"));
    }
    client::Informer::ObjectPtr claim_object = LookupClaim(ns, claim_name.name);
    if (claim_object == nullptr) return absl::OkStatus();
    DRA_ASSIGN_OR_RETURN(api::ResourceClaim claim, Decode<api::ResourceClaim>(*claim_object));
    if (claim_name.check_owner && !IsOwnedBy(claim, pod.metadata.uid)) {
      return absl::FailedPreconditionError(dra::StrCat("ResourceClaim ", ns, "/", claim_name.name,
                                                       " was not created for pod ", ns, "/", name,
                                                       " (pod is not owner)"));
    }
    if (claim.status.allocation.has_value() && !IsReservedForPod(claim, pod.metadata.uid) &&
        claim.status.reserved_for.size() < kReservedForMaxSize) {
      DRA_RETURN_IF_ERROR(ReserveForPod(pod, *claim_object));
    }
  }
  return absl::OkStatus();
}

absl::Status ResourceClaimController::HandleClaim(const api::Pod& pod,
                                                  const api::PodResourceClaim& pod_claim,
                                                  std::map<std::string, std::string>* new_claims) {
  const std::string& ns = pod.metadata.namespace_;
  ClaimName claim_name = ResolveClaimName(pod, pod_claim);
  switch (claim_name.kind) {
    case ClaimName::Kind::kUnsupported:
      return absl::InvalidArgumentError(
          "checking for claim before creating it: neither resourceClaimName nor "
          "resourceClaimTemplateName is set");
    case ClaimName::Kind::kNotNeeded:
      return absl::OkStatus();
    case ClaimName::Kind::kNotGenerated:
      break;
    case ClaimName::Kind::kName:
      if (!claim_name.check_owner) return absl::OkStatus();  // a user's claim
      // Recorded in the pod status; re-created when it was deleted or replaced.
      if (client::Informer::ObjectPtr object = LookupClaim(ns, claim_name.name);
          object != nullptr) {
        absl::StatusOr<api::ResourceClaim> claim = Decode<api::ResourceClaim>(*object);
        if (claim.ok() && IsOwnedBy(*claim, pod.metadata.uid)) return absl::OkStatus();
      }
      break;
  }
  if (!pod_claim.resource_claim_template_name.has_value()) return absl::OkStatus();
  const std::string& template_name = *pod_claim.resource_claim_template_name;

  // An orphan of an earlier attempt (created, but the pod status update failed)?
  std::optional<std::string> existing = FindPodResourceClaim(pod, pod_claim.name);
  if (!existing.has_value()) {
    client::Informer::ObjectPtr tmpl_object = templates_->Get(ns, template_name);
    if (tmpl_object == nullptr) {
      return absl::NotFoundError(dra::StrCat("resource claim template \"", template_name,
                                             "\": resourceclaimtemplate.resource.k8s.io \"",
                                             template_name, "\" not found"));
    }
    // spec.spec is copied as the server sent it (no field lost to decoding).
    const api::Value* tmpl_spec = tmpl_object->Find("spec");
    const api::Value* claim_spec = tmpl_spec == nullptr ? nullptr : tmpl_spec->Find("spec");
    const api::Value* tmpl_meta = tmpl_spec == nullptr ? nullptr : tmpl_spec->Find("metadata");
    api::Value annotations = api::Value::Object();
    api::Value labels = api::Value::Object();
    if (tmpl_meta != nullptr) {
      if (const api::Value* a = tmpl_meta->Find("annotations"); a != nullptr && a->is_object()) {
        annotations = *a;
      }
      if (const api::Value* l = tmpl_meta->Find("labels"); l != nullptr && l->is_object()) {
        labels = *l;
      }
    }
    annotations.Set(std::string(kPodClaimNameAnnotation), api::Value::String(pod_claim.name));
    api::Value metadata = api::Value::Object(
        {{"generateName", api::Value::String(GenerateNameFor(pod.metadata.name, pod_claim.name))},
         {"namespace", api::Value::String(ns)},
         {"ownerReferences", api::Value::Array({api::Value::Object(
                                 {{"apiVersion", api::Value::String("v1")},
                                  {"kind", api::Value::String("Pod")},
                                  {"name", api::Value::String(pod.metadata.name)},
                                  {"uid", api::Value::String(pod.metadata.uid)},
                                  {"controller", api::Value::Bool(true)},
                                  {"blockOwnerDeletion", api::Value::Bool(true)}})})},
         {"annotations", std::move(annotations)}});
    if (!labels.members().empty()) metadata.Set("labels", std::move(labels));
    api::Value claim =
        api::Value::Object({{"apiVersion", api::Value::String("resource.k8s.io/v1")},
                            {"kind", api::Value::String("ResourceClaim")},
                            {"metadata", std::move(metadata)},
                            {"spec", claim_spec != nullptr ? *claim_spec : api::Value::Object()}});
    absl::StatusOr<api::Value> created = client_->Create(
        client::ResourceClaims(), ns, claim,
        client::WriteOptions{.field_manager = std::string(kResourceClaimControllerName)});
    if (!created.ok()) {
      ++claim_create_failures_;
      return absl::Status(
          created.status().code(),
          dra::StrCat("create ResourceClaim ", GenerateNameFor(pod.metadata.name, pod_claim.name),
                      ": ", created.status().message()));
    }
    ++claims_created_;
    const api::Value* created_meta = created->Find("metadata");
    const api::Value* created_name = created_meta == nullptr ? nullptr : created_meta->Find("name");
    if (created_name == nullptr) {
      return absl::InternalError("created ResourceClaim has no metadata.name");
    }
    existing = created_name->text();
    absl::MutexLock lock(&mu_);
    if (claims_->Get(ns, *existing) == nullptr) {
      created_[Key(ns, *existing)] = std::make_shared<const api::Value>(*std::move(created));
      claims_by_owner_[pod.metadata.uid].insert(Key(ns, *existing));
    }
  }
  (*new_claims)[pod_claim.name] = *existing;
  return absl::OkStatus();
}

absl::Status ResourceClaimController::ReserveForPod(const api::Pod& pod, const api::Value& claim) {
  api::Value updated = claim;
  api::Value& status = StatusOf(updated);
  api::Value* reserved = status.FindMutable("reservedFor");
  if (reserved == nullptr || !reserved->is_array()) {
    reserved = &status.Set("reservedFor", api::Value::Array());
  }
  reserved->Append(api::Value::Object({{"resource", api::Value::String("pods")},
                                       {"name", api::Value::String(pod.metadata.name)},
                                       {"uid", api::Value::String(pod.metadata.uid)}}));
  absl::StatusOr<api::Value> written = client_->UpdateStatus(
      client::ResourceClaims(), pod.metadata.namespace_, updated,
      client::WriteOptions{.field_manager = std::string(kResourceClaimControllerName)});
  if (!written.ok()) {
    return absl::Status(written.status().code(),
                        dra::StrCat("reserve claim for pod ", pod.metadata.namespace_, "/",
                                    pod.metadata.name, ": ", written.status().message()));
  }
  return absl::OkStatus();
}

absl::Status ResourceClaimController::SyncClaim(std::string_view ns, std::string_view name) {
  client::Informer::ObjectPtr object = claims_->Get(ns, name);
  if (object == nullptr) return absl::OkStatus();  // gone
  DRA_ASSIGN_OR_RETURN(api::ResourceClaim claim, Decode<api::ResourceClaim>(*object));

  // Which reservedFor entries are still valid?
  std::vector<size_t> valid;
  for (size_t i = 0; i < claim.status.reserved_for.size(); ++i) {
    const api::ResourceClaimConsumerReference& ref = claim.status.reserved_for[i];
    if (!ref.api_group.empty() || ref.resource != "pods") {
      valid.push_back(i);  // not a pod: kept (upstream reports these as unsupported)
      continue;
    }
    bool keep = true;
    bool known_deleted;
    {
      absl::MutexLock lock(&mu_);
      known_deleted = deleted_pods_.contains(ref.uid);
    }
    if (known_deleted) {
      keep = false;
    } else if (client::Informer::ObjectPtr pod_object = pods_->Get(ns, ref.name);
               pod_object == nullptr) {
      // Perhaps not in the cache yet: the scheduler may be reserving it for a new pod. Ask
      // the API server before dropping the reservation.
      absl::StatusOr<api::Value> fetched = client_->Get(client::Pods(), ns, ref.name);
      if (!fetched.ok() && !absl::IsNotFound(fetched.status())) return fetched.status();
      if (!fetched.ok()) {
        keep = false;
      } else {
        absl::StatusOr<api::Pod> pod = Decode<api::Pod>(*fetched);
        if (!pod.ok()) return pod.status();
        keep = pod->metadata.uid == ref.uid && !IsPodDone(*pod);
      }
    } else {
      DRA_ASSIGN_OR_RETURN(api::Pod pod, Decode<api::Pod>(*pod_object));
      keep = pod.metadata.uid == ref.uid && !IsPodDone(pod);
    }
    if (keep) valid.push_back(i);
  }

  bool has_finalizer = HasFinalizer(claim.metadata);
  const auto write_options =
      client::WriteOptions{.field_manager = std::string(kResourceClaimControllerName)};
  if (valid.size() < claim.status.reserved_for.size()) {
    // An update (not a patch) so that it fails when anything changed in the meantime.
    api::Value updated = *object;
    api::Value& status = StatusOf(updated);
    api::Value entries = api::Value::Array();
    if (const api::Value* old = status.Find("reservedFor"); old != nullptr && old->is_array()) {
      for (size_t i : valid) {
        if (i < old->items().size()) entries.Append(old->items()[i]);
      }
    }
    bool deallocate = valid.empty() && claim.status.allocation.has_value();
    if (entries.items().empty()) {
      status.Remove("reservedFor");
    } else {
      status.Set("reservedFor", std::move(entries));
    }
    if (valid.empty()) {
      // The last consumer is gone: deallocate, so that a future consumer gets a fresh
      // allocation and the devices are free for others. Only on this transition: a claim
      // that was allocated without being reserved stays allocated.
      status.Remove("allocation");
      status.Remove("devices");
    }
    DRA_ASSIGN_OR_RETURN(api::Value written, client_->UpdateStatus(client::ResourceClaims(), ns,
                                                                   updated, write_options));
    ++claims_unreserved_;
    if (deallocate) ++claims_deallocated_;
    if (valid.empty() && has_finalizer) {
      // Not needed any more once deallocated.
      RemoveFinalizer(written, api::kFinalizer);
      DRA_RETURN_IF_ERROR(
          client_->Update(client::ResourceClaims(), ns, written, write_options).status());
    }
  } else if (has_finalizer && IsDeleting(claim.metadata) && valid.empty()) {
    // Deleted while unreserved (possibly still allocated): deallocate and unblock removal.
    api::Value current = *object;
    if (claim.status.allocation.has_value()) {
      api::Value& status = StatusOf(current);
      status.Remove("allocation");
      status.Remove("devices");
      DRA_ASSIGN_OR_RETURN(
          current, client_->UpdateStatus(client::ResourceClaims(), ns, current, write_options));
      ++claims_deallocated_;
    }
    RemoveFinalizer(current, api::kFinalizer);
    DRA_RETURN_IF_ERROR(
        client_->Update(client::ResourceClaims(), ns, current, write_options).status());
  }

  if (valid.empty() && !IsDeleting(claim.metadata)) {
    // Unreserved. A claim generated for a pod that will not run any more is deleted (the
    // garbage collector would only do it once the pod itself is deleted).
    auto [pod_name, pod_uid] = OwningPod(claim);
    if (!pod_name.empty()) {
      client::Informer::ObjectPtr pod_object = pods_->Get(ns, pod_name);
      // Not in the cache: perhaps not known yet; the garbage collector handles pods that are
      // truly gone.
      if (pod_object != nullptr) {
        DRA_ASSIGN_OR_RETURN(api::Pod pod, Decode<api::Pod>(*pod_object));
        if (pod.metadata.uid != pod_uid || IsPodDone(pod)) {
          absl::StatusOr<api::Value> deleted =
              client_->Delete(client::ResourceClaims(), ns, name,
                              client::DeleteOptions{.precondition_uid = claim.metadata.uid});
          if (!deleted.ok() && !absl::IsNotFound(deleted.status())) {
            return absl::Status(
                deleted.status().code(),
                dra::StrCat("delete claim ", ns, "/", name, ": ", deleted.status().message()));
          }
          if (deleted.ok()) ++claims_deleted_;
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace dra::controllers
