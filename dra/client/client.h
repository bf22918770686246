// The client layer: talking to any Kubernetes API server (dra's or a real kube-apiserver).
//
//   kubeconfig.h    ClusterConfig, LoadKubeconfig, DefaultKubeconfigPath, InClusterConfig
//   resource_ref.h  ResourceRef and the DRA resources (Pods(), ResourceClaims(), ...)
//   rest_client.h   RestClient: get/list/create/update/patch/delete/bind/watch on JSON documents
//   watch.h         WatchEvent, WatchStream
//   errors.h        metav1.Status <-> absl::Status
//   informer.h      Informer: list+watch into a local cache with event handlers
//
// Depends on dra/base and dra/api only.
#ifndef DRA_CLIENT_CLIENT_H_
#define DRA_CLIENT_CLIENT_H_

#include "dra/client/errors.h"
#include "dra/client/informer.h"
#include "dra/client/kubeconfig.h"
#include "dra/client/resource_ref.h"
#include "dra/client/rest_client.h"
#include "dra/client/watch.h"

#endif  // DRA_CLIENT_CLIENT_H_
