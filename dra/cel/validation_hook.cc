#include "dra/cel/validation_hook.h"

#include "dra/base/strings.h"
#include "dra/cel/cost/cost.h"
#include "dra/cel/selector.h"

namespace dra::cel {

api::ValidationOptions SelectorValidationOptions() {
  // Validation judges selectors as the API server judges new ones (NewExpressions).
  static ExpressionCache* cache = new ExpressionCache(CompileOptions{.new_expressions = true});
  api::ValidationOptions options;
  options.check_cel_selector = [](std::string_view expression, const api::FieldPath& path) {
    api::FieldErrorList errors;
    auto compiled = cache->GetOrCompile(expression);
    if (!compiled.ok()) {
      errors.push_back(api::InvalidStringError(
          path, expression, StrCat("compilation failed: ", compiled.status().message())));
    } else if (auto too_costly = CheckSelectorCost(path, (*compiled)->cost_estimate())) {
      errors.push_back(*std::move(too_costly));
    }
    return errors;
  };
  return options;
}

}  // namespace dra::cel
