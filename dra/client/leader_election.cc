#include "dra/client/leader_election.h"

#include <utility>

#include "dra/base/strings.h"
#include "dra/client/resource_ref.h"

namespace dra::client {
namespace {

using api::Value;

std::string MicroTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

std::optional<absl::Time> ParseMicroTime(const Value* v) {
  if (v == nullptr || !v->is_string()) return std::nullopt;
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ", v->text(), &t, &error)) return std::nullopt;
  return t;
}

}  // namespace

LeaderElector::LeaderElector(RestClient* client, LeaderElectionOptions options)
    : client_(client), options_(std::move(options)) {}

LeaderElector::~LeaderElector() {
  stopping_ = true;
  if (renewer_.joinable()) renewer_.join();
}

bool LeaderElector::TryAcquireOrRenew() {
  absl::Time now = absl::Now();
  absl::StatusOr<Value> current =
      client_->Get(Leases(), options_.lease_namespace, options_.lease_name);
  Value spec = Value::Object();
  spec.Set("holderIdentity", Value::String(options_.identity));
  spec.Set("leaseDurationSeconds", Value::Int(absl::ToInt64Seconds(options_.lease_duration)));
  spec.Set("renewTime", Value::String(MicroTime(now)));
  if (absl::IsNotFound(current.status())) {
    spec.Set("acquireTime", Value::String(MicroTime(now)));
    spec.Set("leaseTransitions", Value::Int(0));
    Value lease = Value::Object();
    lease.Set("apiVersion", Value::String("coordination.k8s.io/v1"));
    lease.Set("kind", Value::String("Lease"));
    Value meta = Value::Object();
    meta.Set("name", Value::String(options_.lease_name));
    meta.Set("namespace", Value::String(options_.lease_namespace));
    lease.Set("metadata", std::move(meta));
    lease.Set("spec", std::move(spec));
    return client_->Create(Leases(), options_.lease_namespace, lease).ok();
  }
  if (!current.ok()) return false;
  const Value* old = current->Find("spec");
  std::string holder;
  int64_t transitions = 0;
  std::optional<absl::Time> renewed;
  absl::Duration duration = options_.lease_duration;
  if (old != nullptr) {
    if (const Value* h = old->Find("holderIdentity"); h != nullptr && h->is_string()) {
      holder = h->text();
    }
    if (const Value* t = old->Find("leaseTransitions")) transitions = t->AsInt64().value_or(0);
    renewed = ParseMicroTime(old->Find("renewTime"));
    if (const Value* d = old->Find("leaseDurationSeconds")) {
      duration = absl::Seconds(d->AsInt64().value_or(absl::ToInt64Seconds(duration)));
    }
  }
  bool ours = holder == options_.identity;
  bool expired = !renewed.has_value() || *renewed + duration < now;
  if (!ours && !holder.empty() && !expired) return false;
  if (ours) {
    if (const Value* a = old->Find("acquireTime")) spec.Set("acquireTime", *a);
    spec.Set("leaseTransitions", Value::Int(transitions));
  } else {
    spec.Set("acquireTime", Value::String(MicroTime(now)));
    spec.Set("leaseTransitions", Value::Int(transitions + 1));
  }
  Value updated = *current;
  updated.Set("spec", std::move(spec));
  // The resourceVersion of what was read: a concurrent candidate's write makes this one fail.
  return client_->Update(Leases(), options_.lease_namespace, updated).ok();
}

absl::Status LeaderElector::Acquire(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    if (TryAcquireOrRenew()) {
      leader_ = true;
      return absl::OkStatus();
    }
    absl::Time until = absl::Now() + options_.retry_period;
    while (!stop.load() && absl::Now() < until) absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::CancelledError("leader election stopped");
}

void LeaderElector::StartRenewing(std::function<void()> on_lost) {
  renewer_ = std::thread([this, on_lost = std::move(on_lost)] {
    absl::Time last_renewal = absl::Now();
    while (!stopping_.load()) {
      absl::Time until = absl::Now() + options_.retry_period;
      while (!stopping_.load() && absl::Now() < until) absl::SleepFor(absl::Milliseconds(50));
      if (stopping_.load()) return;
      if (TryAcquireOrRenew()) {
        last_renewal = absl::Now();
      } else if (absl::Now() - last_renewal > options_.renew_deadline) {
        leader_ = false;
        if (on_lost) on_lost();
        return;
      }
    }
  });
}

void LeaderElector::Release() {
  stopping_ = true;
  if (renewer_.joinable()) renewer_.join();
  if (!leader_.exchange(false)) return;
  absl::StatusOr<Value> current =
      client_->Get(Leases(), options_.lease_namespace, options_.lease_name);
  if (!current.ok()) return;
  Value* spec = current->FindMutable("spec");
  if (spec == nullptr || !spec->is_object()) return;
  const Value* holder = spec->Find("holderIdentity");
  if (holder == nullptr || !holder->is_string() || holder->text() != options_.identity) return;
  spec->Set("holderIdentity", Value::String(""));
  spec->Set("leaseDurationSeconds", Value::Int(1));
  (void)client_->Update(Leases(), options_.lease_namespace, *current);
}

}  // namespace dra::client
