// Kubernetes protobuf wire format (application/vnd.kubernetes.protobuf) for request and
// response bodies.
//
// A Kubernetes protobuf body is the 4-byte magic "k8s\0" followed by a runtime.Unknown message:
// typeMeta (1: TypeMeta{apiVersion = 1, kind = 2}), raw (2: the typed object's protobuf),
// contentEncoding (3) and contentType (4). The typed object is decoded with a schema table
// transcribed from upstream's generated.proto files (field numbers and types) and the Go
// structs' json tags (JSON names, pointer fields, inlined structs); no protobuf library is used.
//
// Kinds with a schema: v1 Namespace, Pod, Node, Event, Binding, ConfigMap, Secret,
// ServiceAccount; apps/v1 Deployment, ReplicaSet; coordination.k8s.io/v1 Lease;
// resource.k8s.io/v1, v1beta1 and v1beta2 DeviceClass, ResourceClaim, ResourceClaimTemplate,
// ResourceSlice; resource.k8s.io/v1beta2 DeviceTaintRule; DeleteOptions (any apiVersion).
// Every message these contain is covered, recursively.
//
// Mapping to the JSON-shaped document (what `kubectl get -o json` shows):
//   - fields get their JSON names; structs that Go inlines (Probe's handler, Volume's
//     volumeSource, EphemeralContainer's common fields, ...) are merged into their parent;
//   - scalars of non-pointer Go fields are omitted when zero (like omitempty); pointer fields
//     (replicas, gracePeriodSeconds, ...) are kept when present, zero included;
//   - message fields present on the wire become objects, `{}` included (emptyDir: {});
//   - repeated fields become arrays, maps objects; bytes base64 strings (as Go's JSON);
//   - Quantity becomes its string ("0" when empty); IntOrString a number or a string;
//     Time an RFC 3339 string with seconds (nanos are ignored, as upstream does); MicroTime
//     likewise with microseconds; zero times are omitted; FieldsV1 and RawExtension are parsed
//     from their raw JSON bytes.
// Decoding is strict: unknown field numbers, wrong wire types, groups, truncated or overlong
// input and invalid UTF-8 in strings are InvalidArgument errors; nothing is silently dropped.
//
// Stateless functions over constant tables; thread-safe.
#ifndef DRA_API_CODEC_PROTOBUF_H_
#define DRA_API_CODEC_PROTOBUF_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/value.h"

namespace dra::api {

// The media type of Kubernetes protobuf bodies.
inline constexpr std::string_view kKubernetesProtobufMediaType =
    "application/vnd.kubernetes.protobuf";

// True when `bytes` starts with the Kubernetes protobuf magic "k8s\0".
bool IsKubernetesProtobuf(std::string_view bytes);

// Decodes a Kubernetes protobuf envelope into the object's JSON-shaped document: apiVersion and
// kind from the envelope's TypeMeta first, then the object's fields as described above.
// InvalidArgument with a clear message for malformed input, a kind without a schema ("protobuf
// request bodies are supported for ...; send JSON or YAML for apps/v1 StatefulSet"), or an
// unknown field number ("io.k8s.api.core.v1.PodSpec: unknown protobuf field 99 at spec").
absl::StatusOr<Value> DecodeKubernetesProtobuf(std::string_view bytes);

// The opposite direction: encodes a document of a supported kind (apiVersion and kind set) as a
// Kubernetes protobuf envelope, writing fields in field-number order and map entries sorted by
// key, as upstream's marshalers do. Null members are treated as absent. InvalidArgument for a
// kind without a schema, a member the schema does not know, or a value of the wrong type.
// DecodeKubernetesProtobuf(EncodeKubernetesProtobuf(d)) == d for documents in the decoder's
// normal form (no zero non-pointer scalars, no zero times).
absl::StatusOr<std::string> EncodeKubernetesProtobuf(const Value& document);

// For tests.
namespace protobuf_internal {
// Checks the schema table's invariants (sorted, every referenced message present).
absl::Status ValidateSchemaTable();
// The supported (apiVersion, kind) pairs; DeleteOptions is listed as meta.k8s.io/v1.
std::vector<std::pair<std::string, std::string>> SupportedKindList();
// A document of the kind with every field of every message set to a non-zero sample value
// (repeated fields and maps with two entries); null for an unsupported kind.
Value MakeSampleDocument(std::string_view api_version, std::string_view kind);
}  // namespace protobuf_internal

}  // namespace dra::api

#endif  // DRA_API_CODEC_PROTOBUF_H_
