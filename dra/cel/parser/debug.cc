#include "dra/cel/parser/debug.h"

#include <charconv>
#include <cmath>
#include <string_view>
#include <type_traits>
#include <variant>

#include "dra/base/strings.h"

namespace dra::cel {
namespace {

// Go's %v for a float64: the shortest representation, in %e form when the exponent is below
// -4 or at least 21.
std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  size_t e = sci.find('e');
  int exp = std::stoi(sci.substr(e + 1));
  if (exp < -4 || exp >= 21) {
    std::string mant = sci.substr(0, e);
    std::string digits = std::to_string(exp < 0 ? -exp : exp);
    if (digits.size() < 2) digits = "0" + digits;
    return StrCat(mant, "e", exp < 0 ? "-" : "+", digits);
  }
  r = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

class Writer {
 public:
  explicit Writer(bool adorn) : adorn_(adorn) {}

  void Buffer(const Expr& e) {
    std::visit([&](const auto& k) { Write(k); }, e.kind);
    Adorn(e.id);
  }

  std::string Take() { return std::move(out_); }

 private:
  void Write(const Constant& c) { Append(FormatConstant(c)); }
  void Write(const IdentExpr& i) { Append(i.name); }
  void Write(const SelectExpr& s) {
    if (s.operand) Buffer(*s.operand);
    Append(".");
    Append(s.field);
    if (s.test_only) Append("~test-only~");
  }
  void Write(const CallExpr& c) {
    if (c.target) {
      Buffer(*c.target);
      Append(".");
    }
    Append(c.function);
    Append("(");
    if (!c.args.empty()) {
      ++indent_;
      Line();
      for (size_t i = 0; i < c.args.size(); ++i) {
        if (i > 0) {
          Append(",");
          Line();
        }
        if (c.args[i]) Buffer(*c.args[i]);
      }
      --indent_;
      Line();
    }
    Append(")");
  }
  void Write(const ListExpr& l) {
    Append("[");
    if (!l.elements.empty()) {
      Line();
      ++indent_;
      for (size_t i = 0; i < l.elements.size(); ++i) {
        if (i > 0) {
          Append(",");
          Line();
        }
        for (int32_t o : l.optional_indices) {
          if (o == static_cast<int32_t>(i)) Append("?");
        }
        if (l.elements[i]) Buffer(*l.elements[i]);
      }
      --indent_;
      Line();
    }
    Append("]");
  }
  void Write(const MapExpr& m) {
    Append("{");
    if (!m.entries.empty()) {
      Line();
      ++indent_;
      for (size_t i = 0; i < m.entries.size(); ++i) {
        const MapEntry& en = m.entries[i];
        if (i > 0) {
          Append(",");
          Line();
        }
        if (en.optional) Append("?");
        if (en.key) Buffer(*en.key);
        Append(":");
        if (en.value) Buffer(*en.value);
        Adorn(en.id);
      }
      --indent_;
      Line();
    }
    Append("}");
  }
  void Write(const StructExpr& s) {
    Append(s.message_name);
    Append("{");
    if (!s.fields.empty()) {
      Line();
      ++indent_;
      for (size_t i = 0; i < s.fields.size(); ++i) {
        const StructField& f = s.fields[i];
        if (i > 0) {
          Append(",");
          Line();
        }
        if (f.optional) Append("?");
        Append(f.name);
        Append(":");
        if (f.value) Buffer(*f.value);
        Adorn(f.id);
      }
      --indent_;
      Line();
    }
    Append("}");
  }
  void Write(const ComprehensionExpr& c) {
    Append("__comprehension__(");
    ++indent_;
    Line();
    Append("// Variable");
    Line();
    Append(c.iter_var);
    Append(",");
    Line();
    if (!c.iter_var2.empty()) {
      Append(c.iter_var2);
      Append(",");
      Line();
    }
    Section("// Target", c.iter_range.get());
    Append("// Accumulator");
    Line();
    Append(c.accu_var);
    Append(",");
    Line();
    Section("// Init", c.accu_init.get());
    Section("// LoopCondition", c.loop_condition.get());
    Section("// LoopStep", c.loop_step.get());
    Append("// Result");
    Line();
    if (c.result) Buffer(*c.result);
    Append(")");
    --indent_;
  }

  void Section(const char* title, const Expr* e) {
    Append(title);
    Line();
    if (e) Buffer(*e);
    Append(",");
    Line();
  }

  void Adorn(int64_t id) {
    if (adorn_) Append(StrCat("^#", id, "#"));
  }

  void Append(std::string_view s) {
    if (line_start_) {
      line_start_ = false;
      out_.append(static_cast<size_t>(indent_) * 2, ' ');
    }
    out_.append(s);
  }
  void Line() {
    out_.push_back('\n');
    line_start_ = true;
  }

  bool adorn_;
  std::string out_;
  int indent_ = 0;
  bool line_start_ = true;
};

}  // namespace

std::string FormatConstant(const Constant& c) {
  return std::visit(
      [](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<V, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<V, uint64_t>) {
          return StrCat(std::to_string(v), "u");
        } else if constexpr (std::is_same_v<V, double>) {
          return FormatDouble(v);
        } else if constexpr (std::is_same_v<V, std::string>) {
          return GoQuote(v);
        } else {
          return StrCat("b", GoQuote(v.data));
        }
      },
      c.value);
}

std::string DebugString(const Expr& expr) {
  Writer w(false);
  w.Buffer(expr);
  return w.Take();
}

std::string AdornedDebugString(const Expr& expr) {
  Writer w(true);
  w.Buffer(expr);
  return w.Take();
}

}  // namespace dra::cel
