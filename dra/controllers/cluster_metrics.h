// Gauges of the cluster's DRA state, computed at every scrape from the API (two lists):
//   dra_resourceclaims{state}: pending (not allocated), allocated (not reserved), reserved
//     (allocated and reserved for a consumer), deleting;
//   dra_devices{driver, state}: every published device (highest pool generation) as free,
//     allocated (one claim), shared (several claims, or one claim reserved by several pods) or
//     tainted (a NoSchedule or NoExecute taint in its slice, whatever its allocation).
//
// Thread-safe.
#ifndef DRA_CONTROLLERS_CLUSTER_METRICS_H_
#define DRA_CONTROLLERS_CLUSTER_METRICS_H_

#include "dra/client/rest_client.h"

namespace dra::controllers {

class ClusterMetrics {
 public:
  // Registers the gauges; `client` must outlive the object.
  explicit ClusterMetrics(client::RestClient* client);
  // Unregisters them.
  ~ClusterMetrics();

  ClusterMetrics(const ClusterMetrics&) = delete;
  ClusterMetrics& operator=(const ClusterMetrics&) = delete;

 private:
  client::RestClient* const client_;
  int claims_collector_ = 0;
  int devices_collector_ = 0;
};

}  // namespace dra::controllers

#endif  // DRA_CONTROLLERS_CLUSTER_METRICS_H_
