// Pod templates inside workload objects (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
// CronJob), so that their pods' DRA fields (resourceClaims, container claims) can be checked
// before the workload controller stamps pods from them.
//
// Stateless functions; thread-safe.
#ifndef DRA_API_WORKLOADS_H_
#define DRA_API_WORKLOADS_H_

#include <optional>
#include <string>

#include "dra/api/value.h"

namespace dra::api {

struct EmbeddedPodTemplate {
  // Field path of the template in the workload, e.g. "spec.template" or
  // "spec.jobTemplate.spec.template"; prefix pod field paths with it.
  std::string path;
  // A v1 Pod document built from the template (its metadata and spec), named after the
  // workload and in its namespace.
  Value pod;
};

// The pod template of a workload document (apps/v1 Deployment, ReplicaSet, StatefulSet,
// DaemonSet; batch/v1 Job, CronJob), or nullopt for other kinds or when there is no template.
std::optional<EmbeddedPodTemplate> PodTemplateOf(const Value& document);

}  // namespace dra::api

#endif  // DRA_API_WORKLOADS_H_
