// Generic decoding of Value trees into API structs and encoding back, driven by each struct's
// `template <typename V> void VisitFields(V& v)` member (see dra/api/meta_types.h).
//
// Decoding follows the API server's JSON rules: null means absent, unknown fields are errors in
// strict mode (`unknown field "spec.foo"`), a value of the wrong JSON type is an error naming the
// field and, for YAML plain scalars, explaining the YAML 1.1 reading. All errors are collected,
// none stops the decoding of the remaining fields.
//
// Encoding follows encoding/json with the upstream struct tags: optional members are omitted when
// unset, empty strings, lists, maps, false and 0 are omitted unless the field is flagged
// kEmitEmpty, nested structs are always written. Maps are written in key order.
//
// Stateless templates; thread-safe.
#ifndef DRA_API_CODEC_REFLECT_H_
#define DRA_API_CODEC_REFLECT_H_

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "dra/api/field_error.h"
#include "dra/api/meta_types.h"
#include "dra/api/value.h"
#include "dra/base/quantity.h"
#include "dra/base/strings.h"

namespace dra::api {

namespace codec_internal {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};
template <typename T>
struct IsStringMap : std::false_type {};
template <typename T>
struct IsStringMap<std::map<std::string, T>> : std::true_type {};

// Describes the JSON type a member expects, for error messages.
template <typename T>
std::string_view ExpectedName() {
  if constexpr (std::is_same_v<T, std::string>) {
    return "string";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "boolean";
  } else if constexpr (std::is_integral_v<T>) {
    return "integer";
  } else if constexpr (std::is_same_v<T, Quantity>) {
    return "quantity (string or number)";
  } else if constexpr (IsVector<T>::value) {
    return "list";
  } else {
    return "object";
  }
}

std::string RenderBadValue(const Value& v);
std::string YamlHint(const Value& v, std::string_view expected);

}  // namespace codec_internal

class Decoder {
 public:
  // Appends every problem to `errors`; `strict` rejects unknown fields.
  Decoder(FieldErrorList* errors, bool strict) : errors_(errors), strict_(strict) {}

  template <typename T>
  void Decode(const Value& v, const FieldPath& path, T& out) {
    using codec_internal::IsOptional;
    using codec_internal::IsStringMap;
    using codec_internal::IsVector;
    if constexpr (IsOptional<T>::value) {
      if (v.is_null()) {
        out.reset();
        return;
      }
      typename T::value_type inner{};
      Decode(v, path, inner);
      out = std::move(inner);
    } else if constexpr (std::is_same_v<T, Value>) {
      out = v;
    } else if (v.is_null()) {
      out = T{};
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!v.is_string()) return TypeError<T>(v, path);
      out = v.text();
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!v.is_bool()) return TypeError<T>(v, path);
      out = v.bool_value();
    } else if constexpr (std::is_integral_v<T>) {
      auto i = v.AsInt64();
      if (!v.is_number() || !i.has_value()) return TypeError<T>(v, path);
      if (*i < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
          *i > static_cast<int64_t>(std::numeric_limits<T>::max())) {
        return Add(
            FieldError{FieldError::Type::kTypeInvalid, path.str(), v.text(), "value out of range"});
      }
      out = static_cast<T>(*i);
    } else if constexpr (std::is_same_v<T, Quantity>) {
      if (!v.is_string() && !v.is_number()) return TypeError<T>(v, path);
      auto q = Quantity::Parse(v.text());
      if (!q.ok()) {
        return Add(FieldError{FieldError::Type::kInvalid, path.str(),
                              codec_internal::RenderBadValue(v),
                              std::string(q.status().message())});
      }
      out = *std::move(q);
    } else if constexpr (IsVector<T>::value) {
      if (!v.is_array()) return TypeError<T>(v, path);
      out.clear();
      out.reserve(v.items().size());
      for (size_t i = 0; i < v.items().size(); ++i) {
        typename T::value_type item{};  // not out[i]: std::vector<bool> has no bool&
        Decode(v.items()[i], path.Index(static_cast<int64_t>(i)), item);
        out.push_back(std::move(item));
      }
    } else if constexpr (IsStringMap<T>::value) {
      if (!v.is_object()) return TypeError<T>(v, path);
      out.clear();
      for (const auto& [k, item] : v.members()) {
        Decode(item, path.Key(k), out[k]);
      }
    } else {
      DecodeStruct(v, path, out);
    }
  }

  // Decodes the members of object `v` into `out`, skipping the member names in `skip`
  // (already handled by the caller, such as apiVersion and kind).
  template <typename T>
  void DecodeStruct(const Value& v, const FieldPath& path, T& out) {
    if (!v.is_object()) return TypeError<T>(v, path);
    StructVisitor visitor{this, &v, &path, std::vector<bool>(v.members().size(), false)};
    out.VisitFields(visitor);
    if (!strict_) return;
    for (size_t i = 0; i < v.members().size(); ++i) {
      if (visitor.consumed[i]) continue;
      Add(FieldError{FieldError::Type::kUnknownField, path.Child(v.members()[i].first).str(),
                     std::nullopt, ""});
    }
  }

 private:
  struct StructVisitor {
    Decoder* decoder;
    const Value* object;
    const FieldPath* path;
    std::vector<bool> consumed;

    template <typename M>
    void operator()(std::string_view name, M& member, int /*flags*/ = 0) {
      const auto& members = object->members();
      for (size_t i = 0; i < members.size(); ++i) {
        if (members[i].first == name) {
          consumed[i] = true;
          decoder->Decode(members[i].second, path->Child(name), member);
          return;
        }
      }
    }
  };

  template <typename T>
  void TypeError(const Value& v, const FieldPath& path) {
    std::string_view expected = codec_internal::ExpectedName<T>();
    std::string_view article = expected == "integer" ? "an " : "a ";
    std::string detail = dra::StrCat("must be ", article, expected, ", not ", v.KindName());
    dra::StrAppend(&detail, codec_internal::YamlHint(v, expected));
    Add(FieldError{FieldError::Type::kTypeInvalid, path.str(), codec_internal::RenderBadValue(v),
                   std::move(detail)});
  }

  void Add(FieldError e) { errors_->push_back(std::move(e)); }

  FieldErrorList* errors_;
  bool strict_;
};

class Encoder {
 public:
  template <typename T>
  Value Encode(const T& in) {
    using codec_internal::IsOptional;
    using codec_internal::IsStringMap;
    using codec_internal::IsVector;
    if constexpr (IsOptional<T>::value) {
      return in.has_value() ? Encode(*in) : Value::Null();
    } else if constexpr (std::is_same_v<T, Value>) {
      return in;
    } else if constexpr (std::is_same_v<T, std::string>) {
      return Value::String(in);
    } else if constexpr (std::is_same_v<T, bool>) {
      return Value::Bool(in);
    } else if constexpr (std::is_integral_v<T>) {
      return Value::Int(static_cast<int64_t>(in));
    } else if constexpr (std::is_same_v<T, Quantity>) {
      return Value::String(in.ToString());
    } else if constexpr (IsVector<T>::value) {
      Value out = Value::Array();
      out.mutable_items().reserve(in.size());
      for (const auto& item : in) out.Append(Encode(item));
      return out;
    } else if constexpr (IsStringMap<T>::value) {
      Value out = Value::Object();
      for (const auto& [k, item] : in) out.mutable_members().emplace_back(k, Encode(item));
      return out;
    } else {
      Value out = Value::Object();
      StructVisitor visitor{this, &out};
      // VisitFields is non-const by convention; encoding only reads.
      const_cast<T&>(in).VisitFields(visitor);
      return out;
    }
  }

 private:
  struct StructVisitor {
    Encoder* encoder;
    Value* out;

    template <typename M>
    void operator()(std::string_view name, const M& member, int flags = 0) {
      if (!(flags & kEmitEmpty) && IsEmpty(member)) return;
      out->mutable_members().emplace_back(std::string(name), encoder->Encode(member));
    }
  };

  template <typename M>
  static bool IsEmpty(const M& m) {
    using codec_internal::IsOptional;
    using codec_internal::IsStringMap;
    using codec_internal::IsVector;
    if constexpr (IsOptional<M>::value) {
      return !m.has_value();
    } else if constexpr (std::is_same_v<M, Value>) {
      return m.is_null();
    } else if constexpr (std::is_same_v<M, std::string> || IsVector<M>::value ||
                         IsStringMap<M>::value) {
      return m.empty();
    } else if constexpr (std::is_same_v<M, bool>) {
      return !m;
    } else if constexpr (std::is_integral_v<M>) {
      return m == 0;
    } else {
      return false;  // Structs and quantities are always written, as encoding/json does.
    }
  }
};

// Convenience wrappers.
template <typename T>
Value EncodeValue(const T& in) {
  return Encoder().Encode(in);
}

template <typename T>
FieldErrorList DecodeValue(const Value& v, T& out, bool strict = true,
                           const FieldPath& path = FieldPath()) {
  FieldErrorList errors;
  Decoder(&errors, strict).Decode(v, path, out);
  return errors;
}

}  // namespace dra::api

#endif  // DRA_API_CODEC_REFLECT_H_
