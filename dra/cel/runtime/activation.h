// Variable bindings for one evaluation.
//
// An Activation maps names to Values, or to providers that compute a Value on first use. It is
// cheap to set up per evaluation: up to four bindings are stored inline (no allocation), names
// are borrowed (string_view) and must outlive the Activation, and bound Values follow the
// ownership rules of value.h (a borrowed view must outlive every use of the result).
//
// Thread-compatible: an Activation may be read by one evaluation at a time (lazy providers cache
// their value in it). Use one Activation per thread; the Program itself is shared.
#ifndef DRA_CEL_RUNTIME_ACTIVATION_H_
#define DRA_CEL_RUNTIME_ACTIVATION_H_

#include <string_view>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {

// Computes a variable's value on first use within an evaluation.
class ValueProvider {
 public:
  virtual ~ValueProvider() = default;
  virtual Value Provide() const = 0;
};

class Activation {
 public:
  Activation() = default;

  // Binds (or rebinds) `name`. `name` is borrowed.
  void Bind(std::string_view name, Value value) {
    if (Entry* e = FindEntry(name)) {
      e->value = std::move(value);
      e->provider = nullptr;
      return;
    }
    entries_.push_back(Entry{name, std::move(value), nullptr});
  }
  // Binds `name` to a provider called at most once, when the name is first read. Both are
  // borrowed.
  void BindLazy(std::string_view name, const ValueProvider* provider) {
    if (Entry* e = FindEntry(name)) {
      e->provider = provider;
      return;
    }
    entries_.push_back(Entry{name, Value(), provider});
  }
  void Clear() { entries_.clear(); }

  // The bound value, or nullptr when `name` is unbound.
  const Value* Find(std::string_view name) const {
    for (const Entry& e : entries_) {
      if (e.name.size() == name.size() && e.name == name) {
        if (e.provider != nullptr) {
          e.value = e.provider->Provide();
          e.provider = nullptr;
        }
        return &e.value;
      }
    }
    return nullptr;
  }

 private:
  struct Entry {
    std::string_view name;
    mutable Value value;
    mutable const ValueProvider* provider;
  };
  Entry* FindEntry(std::string_view name) {
    for (Entry& e : entries_) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }
  absl::InlinedVector<Entry, 4> entries_;
};

}  // namespace dra::cel

#endif  // DRA_CEL_RUNTIME_ACTIVATION_H_
