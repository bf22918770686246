// The controllers layer: kube-controller-manager's DRA controllers as clients of any
// Kubernetes API server (dra's or a real kube-apiserver).
//
//   resourceclaim_controller.h  ResourceClaimController: claims from templates, reservation
//                               cleanup, deallocation, deletion of generated claims
//   workload_controllers.h      ReplicaSetController, DeploymentController: pods from workloads
//   device_taint_eviction.h     DeviceTaintEvictionController: evicts pods from NoExecute-tainted
//                               devices, DeviceTaintRule status
//
// Depends on dra/client and dra/api (and dra/base).
#ifndef DRA_CONTROLLERS_CONTROLLERS_H_
#define DRA_CONTROLLERS_CONTROLLERS_H_

#include "dra/controllers/device_taint_eviction.h"
#include "dra/controllers/resourceclaim_controller.h"
#include "dra/controllers/workload_controllers.h"

#endif  // DRA_CONTROLLERS_CONTROLLERS_H_
