#include "dra/api/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace dra::api {

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.bool_ = b;
  return v;
}

Value Value::Number(std::string text) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.text_ = std::move(text);
  return v;
}

Value Value::Int(int64_t i) { return Number(std::to_string(i)); }

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.text_ = std::move(s);
  return v;
}

Value Value::Array(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kArray;
  v.items_ = std::move(items);
  return v;
}

Value Value::Object(std::vector<Member> members) {
  Value v;
  v.kind_ = Kind::kObject;
  v.members_ = std::move(members);
  return v;
}

std::optional<int64_t> Value::AsInt64() const {
  if (kind_ != Kind::kNumber) return std::nullopt;
  int64_t out = 0;
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  auto [ptr, ec] = std::from_chars(begin, end, out);
  if (ec == std::errc() && ptr == end) return out;
  // Integral values written in float notation ("3.0", "1e3").
  double d = AsDouble();
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

double Value::AsDouble() const {
  if (kind_ != Kind::kNumber) return 0;
  return std::strtod(text_.c_str(), nullptr);
}

const Value* Value::Find(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  for (const auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value* Value::FindMutable(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->Find(key));
}

Value& Value::Set(std::string key, Value value) {
  if (kind_ != Kind::kObject) {
    *this = Object();
  }
  for (auto& [k, v] : members_) {
    if (k == key) {
      v = std::move(value);
      return v;
    }
  }
  members_.emplace_back(std::move(key), std::move(value));
  return members_.back().second;
}

std::optional<Value> Value::Remove(std::string_view key) {
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->first == key) {
      Value out = std::move(it->second);
      members_.erase(it);
      return out;
    }
  }
  return std::nullopt;
}

std::string_view Value::KindName() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "boolean";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
  }
  return "unknown";
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.bool_ == b.bool_;
    case Value::Kind::kNumber: {
      if (a.text_ == b.text_) return true;
      auto ai = a.AsInt64();
      auto bi = b.AsInt64();
      if (ai && bi) return *ai == *bi;
      return a.AsDouble() == b.AsDouble();
    }
    case Value::Kind::kString:
      return a.text_ == b.text_;
    case Value::Kind::kArray:
      return a.items_ == b.items_;
    case Value::Kind::kObject: {
      if (a.members_.size() != b.members_.size()) return false;
      for (const auto& [k, v] : a.members_) {
        const Value* other = b.Find(k);
        if (other == nullptr || !(*other == v)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace dra::api
