// Server-side printing: the meta.k8s.io/v1 Table documents kube-apiserver returns for
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (what `kubectl get` asks for).
//
// Column definitions and cell values follow k8s.io/kubernetes pkg/printers/internalversion
// (printPod, printNode, printEvent, printDeployment, ..., printResourceClaim, printResourceSlice)
// and, for kinds without a printer (DeviceTaintRule and anything unknown), the default table
// convertor of k8s.io/apiserver (Name, "Created At"). As on the server, every column is
// present, wide ones (priority 1) included; clients hide those unless asked for `-o wide`.
// Column `type` and each cell's JSON type match upstream (e.g. a Deployment's Up-to-date column is
// declared "string" but its cells are integers, exactly as upstream writes them).
//
// Stateless functions; thread-safe.
#ifndef DRA_APISERVER_PRINTING_TABLES_H_
#define DRA_APISERVER_PRINTING_TABLES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dra/api/value.h"

namespace dra::apiserver {

// The `includeObject` query parameter of table requests.
enum class IncludeObject { kNone, kMetadata, kObject };

// Parses "None", "Metadata" or "Object"; the empty string is the default, kMetadata. Anything
// else is InvalidArgument.
absl::StatusOr<IncludeObject> ParseIncludeObject(std::string_view text);

// Builds {"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{...},
// "columnDefinitions":[{"name","type","format","description","priority"}...],
// "rows":[{"cells":[...],"conditions":[...]?,"object":{...}?}...]} for `objects` of
// `kind` (in `api_version`), with ages relative to `now`. The table's metadata copies
// resourceVersion, continue and remainingItemCount from `list_metadata` (a ListMeta object, or
// the object's own metadata for a single GET; null for none). With kMetadata each row's object
// is {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{...}}, with
// kObject the object itself, with kNone there is none.
api::Value BuildTable(std::string_view api_version, std::string_view kind,
                      const std::vector<api::Value>& objects, absl::Time now, IncludeObject include,
                      const api::Value& list_metadata);

// Parses an RFC 3339 timestamp as the API writes them ("2026-11-24T06:00:00Z", fractional
// seconds and numeric offsets allowed).
std::optional<absl::Time> ParseRfc3339(std::string_view text);

// apimachinery's duration.HumanDuration ("45s", "5m30s", "3h10m", "4d2h", "2y30d", ...), and
// "<invalid>" for durations below -1s.
std::string HumanDuration(absl::Duration d);
// apimachinery's duration.ShortHumanDuration ("45s", "5m", "3h", "4d", "2y").
std::string ShortHumanDuration(absl::Duration d);

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_PRINTING_TABLES_H_
