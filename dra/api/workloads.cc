#include "dra/api/workloads.h"

#include <string_view>

namespace dra::api {
namespace {

std::string_view StringAt(const Value& v, std::string_view key) {
  const Value* member = v.Find(key);
  return member != nullptr && member->is_string() ? std::string_view(member->text())
                                                  : std::string_view();
}

}  // namespace

std::optional<EmbeddedPodTemplate> PodTemplateOf(const Value& document) {
  std::string_view api_version = StringAt(document, "apiVersion");
  std::string_view kind = StringAt(document, "kind");
  const Value* spec = document.Find("spec");
  if (spec == nullptr || !spec->is_object()) return std::nullopt;
  const Value* pod_template = nullptr;
  std::string path;
  bool apps = api_version == "apps/v1" && (kind == "Deployment" || kind == "ReplicaSet" ||
                                           kind == "StatefulSet" || kind == "DaemonSet");
  bool job = api_version == "batch/v1" && kind == "Job";
  if (apps || job) {
    pod_template = spec->Find("template");
    path = "spec.template";
  } else if (api_version == "batch/v1" && kind == "CronJob") {
    const Value* job_template = spec->Find("jobTemplate");
    const Value* job_spec = job_template != nullptr ? job_template->Find("spec") : nullptr;
    pod_template = job_spec != nullptr ? job_spec->Find("template") : nullptr;
    path = "spec.jobTemplate.spec.template";
  } else {
    return std::nullopt;
  }
  if (pod_template == nullptr || !pod_template->is_object()) return std::nullopt;

  Value metadata = Value::Object();
  if (const Value* template_metadata = pod_template->Find("metadata");
      template_metadata != nullptr && template_metadata->is_object()) {
    metadata = *template_metadata;
  }
  if (const Value* workload_metadata = document.Find("metadata")) {
    for (std::string_view key : {"name", "namespace"}) {
      if (const Value* v = workload_metadata->Find(key); v != nullptr && !metadata.Find(key)) {
        metadata.Set(std::string(key), *v);
      }
    }
  }
  Value pod = Value::Object();
  pod.Set("apiVersion", Value::String("v1"));
  pod.Set("kind", Value::String("Pod"));
  pod.Set("metadata", std::move(metadata));
  if (const Value* pod_spec = pod_template->Find("spec")) pod.Set("spec", *pod_spec);
  return EmbeddedPodTemplate{std::move(path), std::move(pod)};
}

}  // namespace dra::api
