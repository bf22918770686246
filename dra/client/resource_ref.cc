#include "dra/client/resource_ref.h"

#include <string>

#include "dra/base/strings.h"

namespace dra::client {

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string ResourceRef::GroupResource() const {
  return group.empty() ? plural : dra::StrCat(plural, ".", group);
}

std::string ResourceRef::CollectionPath(std::string_view ns) const {
  std::string path =
      group.empty() ? dra::StrCat("/api/", version) : dra::StrCat("/apis/", group, "/", version);
  if (namespaced && !ns.empty()) dra::StrAppend(&path, "/namespaces/", PercentEncode(ns));
  dra::StrAppend(&path, "/", plural);
  return path;
}

std::string ResourceRef::ObjectPath(std::string_view ns, std::string_view name,
                                    std::string_view subresource) const {
  std::string path = dra::StrCat(CollectionPath(ns), "/", PercentEncode(name));
  if (!subresource.empty()) dra::StrAppend(&path, "/", subresource);
  return path;
}

std::optional<ResourceRef> ResourceRefForKind(std::string_view api_version, std::string_view kind) {
  static const std::pair<std::string_view, ResourceRef (*)()> kKinds[] = {
      {"Pod", &Pods},
      {"Node", &Nodes},
      {"Namespace", &Namespaces},
      {"Event", &Events},
      {"Lease", &Leases},
      {"ResourceClaim", &ResourceClaims},
      {"ResourceClaimTemplate", &ResourceClaimTemplates},
      {"ResourceSlice", &ResourceSlices},
      {"DeviceClass", &DeviceClasses},
      {"DeviceTaintRule", &DeviceTaintRules},
      {"Deployment", &Deployments},
      {"ReplicaSet", &ReplicaSets},
  };
  size_t slash = api_version.find('/');
  std::string_view group = slash == std::string_view::npos ? "" : api_version.substr(0, slash);
  std::string_view version =
      slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
  for (const auto& [name, make] : kKinds) {
    if (name != kind) continue;
    ResourceRef ref = make();
    if (ref.group != group || version.empty()) return std::nullopt;
    ref.version = std::string(version);
    return ref;
  }
  return std::nullopt;
}

ResourceRef Pods() { return {"", "v1", "pods", true}; }
ResourceRef Nodes() { return {"", "v1", "nodes", false}; }
ResourceRef Namespaces() { return {"", "v1", "namespaces", false}; }
ResourceRef Events() { return {"", "v1", "events", true}; }
ResourceRef Leases() { return {"coordination.k8s.io", "v1", "leases", true}; }
ResourceRef ResourceClaims() { return {"resource.k8s.io", "v1", "resourceclaims", true}; }
ResourceRef ResourceClaimTemplates() {
  return {"resource.k8s.io", "v1", "resourceclaimtemplates", true};
}
ResourceRef ResourceSlices() { return {"resource.k8s.io", "v1", "resourceslices", false}; }
ResourceRef DeviceClasses() { return {"resource.k8s.io", "v1", "deviceclasses", false}; }
ResourceRef DeviceTaintRules() { return {"resource.k8s.io", "v1beta2", "devicetaintrules", false}; }
ResourceRef Deployments() { return {"apps", "v1", "deployments", true}; }
ResourceRef ReplicaSets() { return {"apps", "v1", "replicasets", true}; }

}  // namespace dra::client
