#include "dra/apiserver/resources.h"

#include <algorithm>

#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

std::vector<ResourceType> BuildResources() {
  std::vector<ResourceType> r;
  auto add = [&](ResourceType t) {
    if (t.storage_version.empty()) t.storage_version = t.versions.front();
    r.push_back(std::move(t));
  };
  const std::vector<std::string> kResourceVersions = {"v1", "v1beta2", "v1beta1"};
  add({.group = "",
       .versions = {"v1"},
       .kind = "Namespace",
       .plural = "namespaces",
       .singular = "namespace",
       .short_names = {"ns"},
       .has_status = true});
  add({.group = "",
       .versions = {"v1"},
       .kind = "Node",
       .plural = "nodes",
       .singular = "node",
       .short_names = {"no"},
       .has_status = true});
  add({.group = "",
       .versions = {"v1"},
       .kind = "Pod",
       .plural = "pods",
       .singular = "pod",
       .namespaced = true,
       .short_names = {"po"},
       .categories = {"all"},
       .has_status = true,
       .has_binding = true,
       .tracks_generation = true});
  add({.group = "",
       .versions = {"v1"},
       .kind = "Event",
       .plural = "events",
       .singular = "event",
       .namespaced = true,
       .short_names = {"ev"}});
  add({.group = "resource.k8s.io",
       .versions = kResourceVersions,
       .kind = "DeviceClass",
       .plural = "deviceclasses",
       .singular = "deviceclass",
       .tracks_generation = true});
  add({.group = "resource.k8s.io",
       .versions = kResourceVersions,
       .kind = "ResourceClaim",
       .plural = "resourceclaims",
       .singular = "resourceclaim",
       .namespaced = true,
       .has_status = true});
  add({.group = "resource.k8s.io",
       .versions = kResourceVersions,
       .kind = "ResourceClaimTemplate",
       .plural = "resourceclaimtemplates",
       .singular = "resourceclaimtemplate",
       .namespaced = true});
  add({.group = "resource.k8s.io",
       .versions = kResourceVersions,
       .kind = "ResourceSlice",
       .plural = "resourceslices",
       .singular = "resourceslice",
       .tracks_generation = true});
  add({.group = "resource.k8s.io",
       .versions = {"v1beta2"},
       .kind = "DeviceTaintRule",
       .plural = "devicetaintrules",
       .singular = "devicetaintrule",
       .has_status = true,
       .tracks_generation = true});
  add({.group = "coordination.k8s.io",
       .versions = {"v1"},
       .kind = "Lease",
       .plural = "leases",
       .singular = "lease",
       .namespaced = true,
       .model = ObjectModel::kDocument});
  add({.group = "apps",
       .versions = {"v1"},
       .kind = "Deployment",
       .plural = "deployments",
       .singular = "deployment",
       .namespaced = true,
       .short_names = {"deploy"},
       .categories = {"all"},
       .has_status = true,
       .has_scale = true,
       .tracks_generation = true,
       .model = ObjectModel::kDocument});
  add({.group = "apps",
       .versions = {"v1"},
       .kind = "ReplicaSet",
       .plural = "replicasets",
       .singular = "replicaset",
       .namespaced = true,
       .short_names = {"rs"},
       .categories = {"all"},
       .has_status = true,
       .has_scale = true,
       .tracks_generation = true,
       .model = ObjectModel::kDocument});
  return r;
}

}  // namespace

std::string ResourceType::ApiVersion(std::string_view version) const {
  return group.empty() ? std::string(version) : dra::StrCat(group, "/", version);
}

std::string ResourceType::GroupResource() const {
  return group.empty() ? plural : dra::StrCat(plural, ".", group);
}

std::string ResourceType::GroupKind() const {
  return group.empty() ? kind : dra::StrCat(kind, ".", group);
}

bool ResourceType::Serves(std::string_view version) const {
  return std::find(versions.begin(), versions.end(), version) != versions.end();
}

std::string ResourceType::KeyPrefix() const {
  return dra::StrCat("/registry/", group.empty() ? std::string_view("core") : group, "/", plural,
                     "/");
}

std::string ResourceType::NamespacePrefix(std::string_view ns) const {
  return dra::StrCat(KeyPrefix(), ns, "/");
}

std::string ResourceType::Key(std::string_view ns, std::string_view name) const {
  return namespaced ? dra::StrCat(KeyPrefix(), ns, "/", name) : dra::StrCat(KeyPrefix(), name);
}

const std::vector<ResourceType>& ServedResources() {
  static const auto* resources = new std::vector<ResourceType>(BuildResources());
  return *resources;
}

const ResourceType* FindResource(std::string_view group, std::string_view version,
                                 std::string_view plural) {
  for (const ResourceType& t : ServedResources()) {
    if (t.group == group && t.plural == plural && t.Serves(version)) return &t;
  }
  return nullptr;
}

const ResourceType* FindResourceByKind(std::string_view group, std::string_view kind) {
  for (const ResourceType& t : ServedResources()) {
    if (t.group == group && t.kind == kind) return &t;
  }
  return nullptr;
}

const std::vector<GroupVersions>& ServedGroups() {
  static const auto* groups = [] {
    auto* out = new std::vector<GroupVersions>();
    for (const ResourceType& t : ServedResources()) {
      if (t.group.empty()) continue;
      auto it = std::find_if(out->begin(), out->end(),
                             [&](const GroupVersions& g) { return g.group == t.group; });
      if (it == out->end()) {
        out->push_back({t.group, {}});
        it = out->end() - 1;
      }
      for (const std::string& v : t.versions) {
        if (std::find(it->versions.begin(), it->versions.end(), v) == it->versions.end()) {
          it->versions.push_back(v);
        }
      }
    }
    return out;
  }();
  return *groups;
}

void SplitApiVersion(std::string_view api_version, std::string& group, std::string& version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) {
    group.clear();
    version = std::string(api_version);
  } else {
    group = std::string(api_version.substr(0, slash));
    version = std::string(api_version.substr(slash + 1));
  }
}

}  // namespace dra::apiserver
