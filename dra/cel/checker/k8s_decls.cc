#include "dra/cel/checker/k8s_decls.h"

#include <string>
#include <utility>
#include <vector>

#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::cel::checker {
namespace {

OverloadDecl Global(std::string id, std::vector<Type> args, Type result) {
  return OverloadDecl{std::move(id), false, std::move(args), std::move(result)};
}
OverloadDecl Member(std::string id, std::vector<Type> args, Type result) {
  return OverloadDecl{std::move(id), true, std::move(args), std::move(result)};
}

// The element types of the Kubernetes lists library's templated overloads, in its order.
struct Named {
  const char* name;
  Type type;
};
std::vector<Named> SummableTypes() {
  return {{"int", Type::Int()},
          {"uint", Type::Uint()},
          {"double", Type::Double()},
          {"duration", Type::Duration()}};
}
std::vector<Named> ComparableTypes() {
  return {{"int", Type::Int()},           {"uint", Type::Uint()},
          {"double", Type::Double()},     {"bool", Type::Bool()},
          {"duration", Type::Duration()}, {"timestamp", Type::Timestamp()},
          {"string", Type::String()},     {"bytes", Type::Bytes()}};
}

absl::Status AddUrls(Env* env) {
  const Type s = Type::String();
  const Type u = UrlType();
  DRA_RETURN_IF_ERROR(env->AddFunction("url", {Global("string_to_url", {s}, u)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("getScheme", {Member("url_get_scheme", {u}, s)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("getHost", {Member("url_get_host", {u}, s)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("getHostname", {Member("url_get_hostname", {u}, s)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("getPort", {Member("url_get_port", {u}, s)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("getEscapedPath", {Member("url_get_escaped_path", {u}, s)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("getQuery", {Member("url_get_query", {u}, Type::Map(s, Type::List(s)))}));
  return env->AddFunction("isURL", {Global("is_url_string", {s}, Type::Bool())});
}

absl::Status AddRegex(Env* env) {
  const Type s = Type::String();
  DRA_RETURN_IF_ERROR(env->AddFunction("find", {Member("string_find_string", {s, s}, s)}));
  return env->AddFunction(
      "findAll", {Member("string_find_all_string", {s, s}, Type::List(s)),
                  Member("string_find_all_string_int", {s, s, Type::Int()}, Type::List(s))});
}

absl::Status AddKubernetesLists(Env* env) {
  std::vector<OverloadDecl> is_sorted, sum, max, min;
  for (const Named& t : ComparableTypes()) {
    is_sorted.push_back(
        Member(StrCat("list_", t.name, "_is_sorted_bool"), {Type::List(t.type)}, Type::Bool()));
  }
  for (const Named& t : SummableTypes()) {
    sum.push_back(Member(StrCat("list_", t.name, "_sum_", t.name), {Type::List(t.type)}, t.type));
  }
  for (const Named& t : ComparableTypes()) {
    max.push_back(Member(StrCat("list_", t.name, "_max_", t.name), {Type::List(t.type)}, t.type));
    min.push_back(Member(StrCat("list_", t.name, "_min_", t.name), {Type::List(t.type)}, t.type));
  }
  DRA_RETURN_IF_ERROR(env->AddFunction("isSorted", std::move(is_sorted)));
  DRA_RETURN_IF_ERROR(env->AddFunction("sum", std::move(sum)));
  DRA_RETURN_IF_ERROR(env->AddFunction("max", std::move(max)));
  DRA_RETURN_IF_ERROR(env->AddFunction("min", std::move(min)));
  const Type a = Type::Param("A");
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "indexOf", {Member("list_a_index_of_int", {Type::List(a), a}, Type::Int())}));
  return env->AddFunction("lastIndexOf",
                          {Member("list_a_last_index_of_int", {Type::List(a), a}, Type::Int())});
}

absl::Status AddAuthz(Env* env) {
  const Type s = Type::String();
  const Type authorizer = Type::Object("kubernetes.authorization.Authorizer");
  const Type path_check = Type::Object("kubernetes.authorization.PathCheck");
  const Type group_check = Type::Object("kubernetes.authorization.GroupCheck");
  const Type resource_check = Type::Object("kubernetes.authorization.ResourceCheck");
  const Type decision = Type::Object("kubernetes.authorization.Decision");
  DRA_RETURN_IF_ERROR(
      env->AddFunction("path", {Member("authorizer_path", {authorizer, s}, path_check)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("group", {Member("authorizer_group", {authorizer, s}, group_check)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "serviceAccount", {Member("authorizer_serviceaccount", {authorizer, s, s}, authorizer)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "resource", {Member("groupcheck_resource", {group_check, s}, resource_check)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "subresource", {Member("resourcecheck_subresource", {resource_check, s}, resource_check)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "namespace", {Member("resourcecheck_namespace", {resource_check, s}, resource_check)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "name", {Member("resourcecheck_name", {resource_check, s}, resource_check)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("check", {Member("pathcheck_check", {path_check, s}, decision),
                                 Member("resourcecheck_check", {resource_check, s}, decision)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("errored", {Member("decision_errored", {decision}, Type::Bool())}));
  DRA_RETURN_IF_ERROR(env->AddFunction("error", {Member("decision_error", {decision}, s)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("allowed", {Member("decision_allowed", {decision}, Type::Bool())}));
  return env->AddFunction("reason", {Member("decision_reason", {decision}, s)});
}

absl::Status AddAuthzSelectors(Env* env) {
  const Type rc = Type::Object("kubernetes.authorization.ResourceCheck");
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "fieldSelector", {Member("authorizer_fieldselector", {rc, Type::String()}, rc)}));
  return env->AddFunction("labelSelector",
                          {Member("authorizer_labelselector", {rc, Type::String()}, rc)});
}

absl::Status AddQuantity(Env* env) {
  const Type q = QuantityType();
  const Type b = Type::Bool();
  const Type i = Type::Int();
  DRA_RETURN_IF_ERROR(
      env->AddFunction("quantity", {Global("string_to_quantity", {Type::String()}, q)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("isQuantity", {Global("is_quantity_string", {Type::String()}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("sign", {Global("quantity_sign", {q}, i)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("isGreaterThan", {Member("quantity_is_greater_than", {q, q}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("isLessThan", {Member("quantity_is_less_than", {q, q}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("compareTo", {Member("quantity_compare_to", {q, q}, i)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("asApproximateFloat", {Member("quantity_get_float", {q}, Type::Double())}));
  DRA_RETURN_IF_ERROR(env->AddFunction("asInteger", {Member("quantity_get_int", {q}, i)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("isInteger", {Member("quantity_is_integer", {q}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "add", {Member("quantity_add", {q, q}, q), Member("quantity_add_int", {q, i}, q)}));
  return env->AddFunction(
      "sub", {Member("quantity_sub", {q, q}, q), Member("quantity_sub_int", {q, i}, q)});
}

absl::Status AddStringsExtension(Env* env) {
  const Type s = Type::String();
  const Type i = Type::Int();
  DRA_RETURN_IF_ERROR(env->AddFunction("charAt", {Member("string_char_at_int", {s, i}, s)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("indexOf", {Member("string_index_of_string", {s, s}, i),
                                   Member("string_index_of_string_int", {s, s, i}, i)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("lastIndexOf", {Member("string_last_index_of_string", {s, s}, i),
                                       Member("string_last_index_of_string_int", {s, s, i}, i)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("lowerAscii", {Member("string_lower_ascii", {s}, s)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("replace", {Member("string_replace_string_string", {s, s, s}, s),
                                   Member("string_replace_string_string_int", {s, s, s, i}, s)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("split", {Member("string_split_string", {s, s}, Type::List(s)),
                                 Member("string_split_string_int", {s, s, i}, Type::List(s))}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("substring", {Member("string_substring_int", {s, i}, s),
                                     Member("string_substring_int_int", {s, i, i}, s)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("trim", {Member("string_trim", {s}, s)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("upperAscii", {Member("string_upper_ascii", {s}, s)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("format", {Member("string_format", {s, Type::List(Type::Dyn())}, s)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("strings.quote", {Global("strings_quote", {s}, s)}));
  return env->AddFunction("join", {Member("list_join", {Type::List(s)}, s),
                                   Member("list_join_string", {Type::List(s), s}, s)});
}

absl::Status AddSets(Env* env) {
  const Type list_t = Type::List(Type::Param("T"));
  const Type b = Type::Bool();
  DRA_RETURN_IF_ERROR(
      env->AddFunction("sets.contains", {Global("list_sets_contains_list", {list_t, list_t}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("sets.equivalent",
                                       {Global("list_sets_equivalent_list", {list_t, list_t}, b)}));
  return env->AddFunction("sets.intersects",
                          {Global("list_sets_intersects_list", {list_t, list_t}, b)});
}

absl::Status AddIp(Env* env) {
  const Type s = Type::String();
  const Type b = Type::Bool();
  const Type ip = IpType();
  DRA_RETURN_IF_ERROR(env->AddTypeIdentifier(ip));  // cel.Types(IPType)
  DRA_RETURN_IF_ERROR(env->AddFunction("ip", {Global("string_to_ip", {s}, ip)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("family", {Member("ip_family", {ip}, Type::Int())}));
  DRA_RETURN_IF_ERROR(env->AddFunction("ip.isCanonical", {Global("ip_is_canonical", {s}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("isUnspecified", {Member("ip_is_unspecified", {ip}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("isLoopback", {Member("ip_is_loopback", {ip}, b)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("isLinkLocalMulticast", {Member("ip_is_link_local_multicast", {ip}, b)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("isLinkLocalUnicast", {Member("ip_is_link_local_unicast", {ip}, b)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("isGlobalUnicast", {Member("ip_is_global_unicast", {ip}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("isIP", {Global("is_ip", {s}, b)}));
  return env->AddFunction("string", {Global("ip_to_string", {ip}, s)});
}

absl::Status AddCidr(Env* env) {
  const Type s = Type::String();
  const Type b = Type::Bool();
  const Type ip = IpType();
  const Type cidr = CidrType();
  DRA_RETURN_IF_ERROR(env->AddTypeIdentifier(cidr));  // cel.Types(CIDRType)
  DRA_RETURN_IF_ERROR(env->AddFunction("cidr", {Global("string_to_cidr", {s}, cidr)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("containsIP", {Member("cidr_contains_ip_string", {cidr, s}, b),
                                      Member("cidr_contains_ip_ip", {cidr, ip}, b)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("containsCIDR", {Member("cidr_contains_cidr_string", {cidr, s}, b),
                                        Member("cidr_contains_cidr", {cidr, cidr}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("ip", {Member("cidr_ip", {cidr}, ip)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("prefixLength", {Member("cidr_prefix_length", {cidr}, Type::Int())}));
  DRA_RETURN_IF_ERROR(env->AddFunction("masked", {Member("cidr_masked", {cidr}, cidr)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("isCIDR", {Global("is_cidr", {s}, b)}));
  return env->AddFunction("string", {Global("cidr_to_string", {cidr}, s)});
}

absl::Status AddFormat(Env* env) {
  const Type f = NamedFormatType();
  const Type s = Type::String();
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "validate", {Member("format-validate", {f, s}, Type::Optional(Type::List(s)))}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("format.named", {Global("format-named", {s}, Type::Optional(f))}));
  for (const char* name : {"dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName",
                           "dns1123LabelPrefix", "dns1123SubdomainPrefix", "dns1035LabelPrefix",
                           "labelValue", "uri", "uuid", "byte", "date", "datetime"}) {
    std::string fn = StrCat("format.", name);
    DRA_RETURN_IF_ERROR(env->AddFunction(fn, {Global(fn, {}, f)}));
  }
  return absl::OkStatus();
}

absl::Status AddSemver(Env* env) {
  const Type v = SemverType();
  const Type s = Type::String();
  const Type b = Type::Bool();
  const Type i = Type::Int();
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "semver", {Global("string_to_semver", {s}, v), Global("string_bool_to_semver", {s, b}, v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("isSemver", {Global("is_semver_string", {s}, b),
                                                    Global("is_semver_string_bool", {s, b}, b)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("isGreaterThan", {Member("semver_is_greater_than", {v, v}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("isLessThan", {Member("semver_is_less_than", {v, v}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("compareTo", {Member("semver_compare_to", {v, v}, i)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("major", {Member("semver_major", {v}, i)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("minor", {Member("semver_minor", {v}, i)}));
  return env->AddFunction("patch", {Member("semver_patch", {v}, i)});
}

absl::Status AddExtLists(Env* env) {
  const Type t = Type::Param("T");
  const Type list_t = Type::List(t);
  const Type list_dyn = Type::List(Type::Dyn());
  const Type i = Type::Int();
  DRA_RETURN_IF_ERROR(env->AddFunction("slice", {Member("list_slice", {list_t, i, i}, list_t)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("flatten", {Member("list_flatten", {Type::List(list_t)}, list_t),
                                   Member("list_flatten_int", {list_dyn, i}, list_dyn)}));
  std::vector<OverloadDecl> sort, sort_by;
  for (const Named& c : ComparableTypes()) {
    sort.push_back(
        Member(StrCat("list_", c.type.name(), "_sort"), {Type::List(c.type)}, Type::List(c.type)));
    sort_by.push_back(Member(StrCat("list_", c.type.name(), "_sortByAssociatedKeys"),
                             {list_t, Type::List(c.type)}, list_t));
  }
  DRA_RETURN_IF_ERROR(env->AddFunction("sort", std::move(sort)));
  DRA_RETURN_IF_ERROR(env->AddFunction("@sortByAssociatedKeys", std::move(sort_by)));
  DRA_RETURN_IF_ERROR(env->AddFunction("lists.range", {Global("lists_range", {i}, Type::List(i))}));
  DRA_RETURN_IF_ERROR(env->AddFunction("reverse", {Member("list_reverse", {list_t}, list_t)}));
  return env->AddFunction("distinct", {Member("list_distinct", {list_t}, list_t)});
}

}  // namespace

Type QuantityType() { return Type::Object("kubernetes.Quantity"); }
Type SemverType() { return Type::Object("kubernetes.Semver"); }
Type UrlType() { return Type::Object("kubernetes.URL"); }
Type NamedFormatType() { return Type::Object("kubernetes.NamedFormat"); }
Type IpType() { return Type::Opaque("net.IP"); }
Type CidrType() { return Type::Opaque("net.CIDR"); }
Type DraDeviceType() { return Type::Object("kubernetes.DRADevice"); }

absl::Status AddKubernetesLibraries(Env* env, const KubernetesLibraryOptions& options) {
  DRA_RETURN_IF_ERROR(AddUrls(env));
  DRA_RETURN_IF_ERROR(AddRegex(env));
  DRA_RETURN_IF_ERROR(AddKubernetesLists(env));
  DRA_RETURN_IF_ERROR(AddAuthz(env));
  DRA_RETURN_IF_ERROR(AddQuantity(env));
  DRA_RETURN_IF_ERROR(AddStringsExtension(env));
  DRA_RETURN_IF_ERROR(AddSets(env));
  DRA_RETURN_IF_ERROR(AddIp(env));
  DRA_RETURN_IF_ERROR(AddCidr(env));
  DRA_RETURN_IF_ERROR(AddFormat(env));
  DRA_RETURN_IF_ERROR(AddAuthzSelectors(env));
  DRA_RETURN_IF_ERROR(AddSemver(env));
  if (options.ext_lists) DRA_RETURN_IF_ERROR(AddExtLists(env));
  return absl::OkStatus();
}

absl::Status AddDraDeviceVariable(Env* env, bool allow_multiple_allocations) {
  const Type s = Type::String();
  std::map<std::string, Type> fields = {
      {"driver", s},
      {"attributes", Type::Map(s, Type::Map(s, Type::Any()))},
      {"capacity", Type::Map(s, Type::Map(s, QuantityType()))},
  };
  if (allow_multiple_allocations) fields.emplace("allowMultipleAllocations", Type::Bool());
  DRA_RETURN_IF_ERROR(env->AddStructType(DraDeviceType().name(), std::move(fields)));
  return env->AddVariable("device", DraDeviceType());
}

absl::StatusOr<std::shared_ptr<const Env>> NewDraSelectorEnv(const DraEnvOptions& options) {
  auto env = std::make_shared<Env>(EnvOptions{});
  DRA_RETURN_IF_ERROR(AddStandardLibrary(env.get()));
  DRA_RETURN_IF_ERROR(AddOptionalLibrary(env.get()));
  KubernetesLibraryOptions lib;
  lib.ext_lists = !options.new_expressions;
  DRA_RETURN_IF_ERROR(AddKubernetesLibraries(env.get(), lib));
  DRA_RETURN_IF_ERROR(
      AddDraDeviceVariable(env.get(), !options.new_expressions || options.consumable_capacity));
  return std::shared_ptr<const Env>(std::move(env));
}

}  // namespace dra::cel::checker
