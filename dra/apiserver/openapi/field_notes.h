// Per-field annotations of the generated schemas that the C++ member types cannot express:
// descriptions of the main fields, which string fields are timestamps, corrections of the
// `required` rule, and strategic-merge-patch / list-type hints.
//
// Fields are identified by owner key and JSON name, where the owner key is the package tag and
// upstream type name ("core.Pod", "resource.DeviceRequest", "meta.ObjectMeta"; see
// PackageTag()). Lists are "<tag>.<Kind>List".
//
// The table is immutable; thread-safe.
#ifndef DRA_APISERVER_OPENAPI_FIELD_NOTES_H_
#define DRA_APISERVER_OPENAPI_FIELD_NOTES_H_

#include <optional>
#include <string_view>
#include <vector>

namespace dra::apiserver::openapi {

enum class TimeKind {
  kNone,
  kTime,       // meta/v1 Time: RFC 3339, second precision.
  kMicroTime,  // meta/v1 MicroTime: RFC 3339 with microseconds.
};

struct FieldNote {
  std::string_view description;
  TimeKind time = TimeKind::kNone;
  // Overrides SchemaBuilder's default `required` rule when set.
  std::optional<bool> required;
  std::string_view patch_strategy;   // x-kubernetes-patch-strategy, e.g. "merge"
  std::string_view patch_merge_key;  // x-kubernetes-patch-merge-key
  std::string_view list_type;        // x-kubernetes-list-type: "atomic", "set" or "map"
  std::string_view list_map_key;     // the single x-kubernetes-list-map-keys entry for "map"
};

// The note for field `field` of `owner_key`, or nullptr.
const FieldNote* FindFieldNote(std::string_view owner_key, std::string_view field);

// Every (owner key, field) pair in the table, for tests that check the table against the
// generated schemas.
struct FieldNoteKey {
  std::string_view owner_key;
  std::string_view field;
};
std::vector<FieldNoteKey> AllFieldNoteKeys();

}  // namespace dra::apiserver::openapi

#endif  // DRA_APISERVER_OPENAPI_FIELD_NOTES_H_
