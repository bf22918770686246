// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does
// it: a candidate takes the Lease when it does not exist, is held by nobody, or has not been
// renewed for leaseDurationSeconds; the leader renews it every retry period and gives up
// (on_lost) when it could not renew within the renew deadline. Writes use the Lease's
// resourceVersion, so two candidates never both win.
//
// Thread-safe: Acquire blocks the calling thread; renewal runs on an internal thread.
#ifndef DRA_CLIENT_LEADER_ELECTION_H_
#define DRA_CLIENT_LEADER_ELECTION_H_

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dra/client/rest_client.h"

namespace dra::client {

struct LeaderElectionOptions {
  std::string lease_namespace = "kube-system";
  std::string lease_name;
  // This candidate's identity (hostname and a random suffix, as upstream components use).
  std::string identity;
  absl::Duration lease_duration = absl::Seconds(15);
  absl::Duration renew_deadline = absl::Seconds(10);
  absl::Duration retry_period = absl::Seconds(2);
};

class LeaderElector {
 public:
  LeaderElector(RestClient* client, LeaderElectionOptions options);
  ~LeaderElector();

  // Blocks until this candidate holds the Lease (OK) or `stop` becomes true (Cancelled).
  absl::Status Acquire(const std::atomic<bool>& stop);
  // Renews the held Lease every retry period until Release; calls `on_lost` once (from the
  // renewal thread) when renewal failed for longer than the renew deadline.
  void StartRenewing(std::function<void()> on_lost);
  // Stops renewing and hands the Lease back (holderIdentity cleared) so that another candidate
  // takes over at once.
  void Release();

  bool is_leader() const { return leader_.load(); }

 private:
  // One attempt to take or renew the Lease; true when held afterwards.
  bool TryAcquireOrRenew();

  RestClient* client_;
  LeaderElectionOptions options_;
  std::atomic<bool> leader_{false};
  std::atomic<bool> stopping_{false};
  std::thread renewer_;
};

}  // namespace dra::client

#endif  // DRA_CLIENT_LEADER_ELECTION_H_
