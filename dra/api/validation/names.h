// Name and identifier rules shared by every kind (k8s.io/apimachinery/pkg/util/validation and
// pkg/api/validation), with upstream's messages.
//
// Each Is* function returns the list of upstream messages (empty when valid), e.g.
// IsDNS1123Label("A") -> {"a lowercase RFC 1123 label must consist of lower case alphanumeric
// characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or
// '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"}.
//
// Stateless functions; thread-safe.
#ifndef DRA_API_VALIDATION_NAMES_H_
#define DRA_API_VALIDATION_NAMES_H_

#include <string>
#include <string_view>
#include <vector>

#include "dra/api/field_error.h"
#include "dra/api/meta_types.h"

namespace dra::api {

std::vector<std::string> IsDNS1123Label(std::string_view value);
std::vector<std::string> IsDNS1123Subdomain(std::string_view value);
std::vector<std::string> IsCIdentifier(std::string_view value);
// `prefix/name` or `name` (label keys, annotation keys, finalizers).
std::vector<std::string> IsQualifiedName(std::string_view value);
std::vector<std::string> IsValidLabelValue(std::string_view value);

// Validates metadata as ValidateObjectMeta does: name or generateName required, name format
// (DNS subdomain by default; `name_is_label` for kinds that need DNS labels), namespace required
// or forbidden per `namespaced`, labels, annotations (total size 256 KiB), finalizers,
// ownerReferences.
FieldErrorList ValidateObjectMeta(const ObjectMeta& meta, bool namespaced, bool name_is_label,
                                  const FieldPath& path);

// Label keys and values of a map (e.g. metadata.labels, nodeSelector).
FieldErrorList ValidateLabels(const std::map<std::string, std::string>& labels,
                              const FieldPath& path);

}  // namespace dra::api

#endif  // DRA_API_VALIDATION_NAMES_H_
