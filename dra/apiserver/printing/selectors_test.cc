#include "dra/apiserver/printing/selectors.h"

#include <string>
#include <vector>

#include "dra/api/codec/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::apiserver {
namespace {

using api::Value;

Value Json(std::string_view text) {
  absl::StatusOr<Value> v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : Value();
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

constexpr char kKeyMsg[] =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr char kValueMsg[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

TEST(LabelSelectorTest, ParsesToCanonicalString) {
  struct Case {
    std::string input;
    std::string canonical;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"   ", ""},
      {"a=b", "a=b"},
      {"a==b", "a==b"},
      {"a!=b", "a!=b"},
      {"a", "a"},
      {"!a", "!a"},
      {" a ,  !b ", "a,!b"},
      {"x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"},
      {"a in (c,b,c)", "a in (b,c)"},
      {"a in (,)", "a in ()"},
      {"a in (in)", "a in (in)"},
      {"in=notin", "in=notin"},
      {"a=", "a="},
      {"a=,b", "a=,b"},
      {"gen>3,gen<10", "gen>3,gen<10"},
      {"a>3", "a>3"},
      {"example.com/app=web", "example.com/app=web"},
      {"z=1,a=2", "a=2,z=1"},
      {"a\tin\t(x)", "a in (x)"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LabelSelector> s = LabelSelector::Parse(c.input);
    ASSERT_TRUE(s.ok()) << c.input << ": " << s.status();
    EXPECT_EQ(s->String(), c.canonical) << c.input;
  }
}

TEST(LabelSelectorTest, ParseErrorsUseUpstreamText) {
  struct Case {
    std::string input;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"},
      {"a,", "found '', expected: identifier after ','"},
      {"a,,b", "found ',', expected: identifier after ','"},
      {"a=b c", "found 'c', expected: ',' or 'end of string'"},
      {"a=b)", "found ')', expected: ',' or 'end of string'"},
      {"!a=b", "found '=', expected: ',' or 'end of string'"},
      {"=a", "found '=', expected: !, identifier, or 'end of string'"},
      {"(a)", "found '(', expected: !, identifier, or 'end of string'"},
      {"!", "unable to parse requirement: found '', expected: identifier"},
      {"!!a", "unable to parse requirement: found '!', expected: identifier"},
      {"a in b", "unable to parse requirement: found 'b' expected: '('"},
      {"a in (b", "unable to parse requirement: found '', expected: ',' or ')'"},
      {"a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"},
      {"a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"},
      {"a in (,=)", "unable to parse requirement: found '=', expected: ',', or identifier"},
      {"a=(b)", "unable to parse requirement: found '(', expected: identifier"},
      {"a in", "unable to parse requirement: found '' expected: '('"},
      {"A_=b",
       std::string("unable to parse requirement: <nil>: Invalid value: \"A_\": ") + kKeyMsg},
      {"a=b_", std::string("unable to parse requirement: values[0][a]: Invalid value: \"b_\": ") +
                   kValueMsg},
      {"a>b",
       "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' "
       "operators, the value must be an integer"},
      {"a<",
       "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' "
       "operators, the value must be an integer"},
      {"a>99999999999999999999",
       "unable to parse requirement: values[0]: Invalid value: "
       "\"99999999999999999999\": for 'Gt', 'Lt' operators, the value "
       "must be an integer"},
      {"a in (x_,y_)",
       std::string("unable to parse requirement: [values[0][a]: Invalid value: \"x_\": ") +
           kValueMsg + ", values[1][a]: Invalid value: \"y_\": " + kValueMsg + "]"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LabelSelector> s = LabelSelector::Parse(c.input);
    ASSERT_FALSE(s.ok()) << c.input;
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(Message(s.status()), c.message) << c.input;
  }
}

TEST(LabelSelectorTest, Matches) {
  const Value labels = Json(R"({"app":"web","tier":"front","gen":"5","empty":""})");
  struct Case {
    std::string selector;
    bool matches;
  };
  const std::vector<Case> cases = {
      {"", true},
      {"app=web", true},
      {"app==web", true},
      {"app=db", false},
      {"app!=db", true},
      {"missing!=x", true},
      {"app in (db,web)", true},
      {"app notin (web)", false},
      {"missing notin (web)", true},
      {"missing in (web)", false},
      {"app", true},
      {"missing", false},
      {"!missing", true},
      {"!app", false},
      {"gen>4", true},
      {"gen>5", false},
      {"gen<6", true},
      {"app>1", false},
      {"missing<1", false},
      {"empty=", true},
      {"empty", true},
      {"app=web,tier=front,gen>1", true},
      {"app=web,tier=back", false},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LabelSelector> s = LabelSelector::Parse(c.selector);
    ASSERT_TRUE(s.ok()) << c.selector << ": " << s.status();
    EXPECT_EQ(s->Matches(labels), c.matches) << c.selector;
  }
  absl::StatusOr<LabelSelector> s = LabelSelector::Parse("!a,b notin (x)");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->Matches(Value()));
  EXPECT_FALSE(LabelSelector::Parse("a")->Matches(Value()));
}

TEST(LabelSelectorTest, EmptyAndRequiredValue) {
  EXPECT_TRUE(LabelSelector().empty());
  EXPECT_TRUE(LabelSelector::Parse("")->empty());
  EXPECT_FALSE(LabelSelector::Parse("a")->empty());
  EXPECT_FALSE(LabelSelector::Nothing().empty());
  EXPECT_FALSE(LabelSelector::Nothing().Matches(Json("{}")));

  absl::StatusOr<LabelSelector> s = LabelSelector::Parse("a=1,b in (2),c in (3,4),d!=5,e");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->RequiredValue("a"), "1");
  EXPECT_EQ(s->RequiredValue("b"), "2");
  EXPECT_EQ(s->RequiredValue("c"), std::nullopt);
  EXPECT_EQ(s->RequiredValue("d"), std::nullopt);
  EXPECT_EQ(s->RequiredValue("e"), std::nullopt);
  EXPECT_EQ(s->RequiredValue("f"), std::nullopt);
}

TEST(LabelSelectorTest, FromLabelSelector) {
  absl::StatusOr<LabelSelector> s = LabelSelector::FromLabelSelector(Json(R"({
    "matchLabels": {"app": "web"},
    "matchExpressions": [
      {"key": "tier", "operator": "In", "values": ["front", "edge"]},
      {"key": "canary", "operator": "DoesNotExist"},
      {"key": "env", "operator": "NotIn", "values": ["dev"]},
      {"key": "zone", "operator": "Exists"}
    ]})"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->String(), "app=web,!canary,env notin (dev),tier in (edge,front),zone");
  EXPECT_TRUE(s->Matches(Json(R"({"app":"web","tier":"edge","zone":"a"})")));
  EXPECT_FALSE(s->Matches(Json(R"({"app":"web","tier":"edge","zone":"a","canary":"1"})")));
  EXPECT_FALSE(s->Matches(Json(R"({"app":"web","tier":"edge"})")));

  absl::StatusOr<LabelSelector> everything = LabelSelector::FromLabelSelector(Json("{}"));
  ASSERT_TRUE(everything.ok());
  EXPECT_TRUE(everything->empty());
  EXPECT_TRUE(everything->Matches(Json(R"({"x":"y"})")));

  absl::StatusOr<LabelSelector> nothing = LabelSelector::FromLabelSelector(Value());
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->matches_nothing());
  EXPECT_FALSE(nothing->Matches(Json(R"({"x":"y"})")));
  EXPECT_EQ(nothing->String(), "");
}

TEST(LabelSelectorTest, FromLabelSelectorErrors) {
  struct Case {
    std::string selector;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"matchExpressions":[{"key":"a","operator":"Foo"}]})",
       "\"Foo\" is not a valid label selector operator"},
      {R"({"matchExpressions":[{"key":"a","operator":"In"}]})",
       "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"},
      {R"({"matchExpressions":[{"key":"a","operator":"In","values":[]}]})",
       "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"},
      {R"({"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]})",
       "values: Invalid value: [\"x\"]: values set must be empty for exists and does not exist"},
      {R"({"matchLabels":{"A_":"b"}})", std::string("key: Invalid value: \"A_\": ") + kKeyMsg},
      {R"({"matchLabels":{"a":"b_"}})",
       std::string("values[0][a]: Invalid value: \"b_\": ") + kValueMsg},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LabelSelector> s = LabelSelector::FromLabelSelector(Json(c.selector));
    ASSERT_FALSE(s.ok()) << c.selector;
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(Message(s.status()), c.message) << c.selector;
  }
}

TEST(FieldSelectorTest, ParsesAndPinsValues) {
  absl::StatusOr<FieldSelector> s =
      FieldSelector::Parse("metadata.name=web,spec.host==node-1,status.phase!=Failed", "v1", "Pod");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->RequiredValue("metadata.name"), "web");
  EXPECT_EQ(s->RequiredValue("spec.nodeName"), "node-1");
  EXPECT_EQ(s->RequiredValue("status.phase"), std::nullopt);
  EXPECT_EQ(s->RequiredValue("metadata.namespace"), std::nullopt);
  EXPECT_FALSE(s->empty());

  absl::StatusOr<FieldSelector> empty = FieldSelector::Parse("", "v1", "Pod");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_TRUE(empty->Matches(Json("{}")));

  absl::StatusOr<FieldSelector> escaped =
      FieldSelector::Parse(R"(metadata.name=a\,b\=c\\d)", "v1", "Pod");
  ASSERT_TRUE(escaped.ok()) << escaped.status();
  EXPECT_EQ(escaped->RequiredValue("metadata.name"), R"(a,b=c\d)");

  absl::StatusOr<FieldSelector> blank = FieldSelector::Parse("metadata.name=,", "v1", "Pod");
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(blank->RequiredValue("metadata.name"), "");
}

TEST(FieldSelectorTest, ParseErrorsUseUpstreamText) {
  struct Case {
    std::string text;
    std::string api_version;
    std::string kind;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"foo=bar", "v1", "Pod", "field label not supported: foo"},
      {"z=1,metadata.name=x", "v1", "Pod", "field label not supported: z"},
      {"metadata.namespace=x", "v1", "Node", "field label not supported: metadata.namespace"},
      {"spec.nodeName=x", "v1", "Namespace", "field label not supported: spec.nodeName"},
      {"message=x", "v1", "Event", "field label not supported: message"},
      {"spec.pool=x", "resource.k8s.io/v1", "ResourceSlice",
       "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: spec.pool"},
      {"spec.replicas=1", "apps/v1", "Deployment",
       "\"spec.replicas\" is not a known field selector: only \"metadata.name\", "
       "\"metadata.namespace\""},
      {"spec.deviceClassName=x", "resource.k8s.io/v1", "ResourceClaim",
       "\"spec.deviceClassName\" is not a known field selector: only \"metadata.name\", "
       "\"metadata.namespace\""},
      {"a", "v1", "Pod", "invalid selector: 'a'; can't understand 'a'"},
      {"metadata.name=x,b", "v1", "Pod",
       "invalid selector: 'metadata.name=x,b'; can't understand 'b'"},
      {"metadata.name=a=b", "v1", "Pod",
       "invalid field selector: unescaped character in value: 61"},
      {R"(metadata.name=a\x)", "v1", "Pod",
       R"(invalid field selector: invalid escape sequence: \x)"},
      {R"(metadata.name=a\)", "v1", "Pod", R"(invalid field selector: invalid escape sequence: \)"},
      {"metadata.name =x", "v1", "Pod", "field label not supported: metadata.name "},
  };
  for (const Case& c : cases) {
    absl::StatusOr<FieldSelector> s = FieldSelector::Parse(c.text, c.api_version, c.kind);
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(Message(s.status()), c.message) << c.text;
  }
}

TEST(FieldSelectorTest, MatchesPods) {
  const Value pod = Json(R"({
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"nodeName": "node-1", "restartPolicy": "Always", "schedulerName": "default-scheduler",
             "serviceAccountName": "default"},
    "status": {"phase": "Running", "podIP": "10.0.0.5",
               "podIPs": [{"ip": "10.0.0.5"}, {"ip": "fd00::5"}]}})");
  struct Case {
    std::string selector;
    bool matches;
  };
  const std::vector<Case> cases = {
      {"metadata.name=web", true},
      {"metadata.name=db", false},
      {"metadata.namespace=default,spec.nodeName=node-1", true},
      {"spec.host=node-1", true},
      {"spec.nodeName!=node-1", false},
      {"spec.hostNetwork=false", true},
      {"spec.hostNetwork=true", false},
      {"status.phase=Running", true},
      {"status.podIP=10.0.0.5", true},
      {"status.nominatedNodeName=", true},
      {"status.nominatedNodeName!=", false},
      {"spec.restartPolicy=Always,spec.schedulerName=default-scheduler", true},
      {"spec.serviceAccountName=other", false},
  };
  for (const Case& c : cases) {
    absl::StatusOr<FieldSelector> s = FieldSelector::Parse(c.selector, "v1", "Pod");
    ASSERT_TRUE(s.ok()) << c.selector << ": " << s.status();
    EXPECT_EQ(s->Matches(pod), c.matches) << c.selector;
  }
  EXPECT_EQ(FieldSelector::FieldValue(pod, "Pod", "status.podIPs"), "10.0.0.5,fd00::5");
}

TEST(FieldSelectorTest, MatchesOtherKinds) {
  const Value slice = Json(R"({"metadata": {"name": "node-1-gpu"},
    "spec": {"driver": "gpu.nvidia.com", "nodeName": "node-1", "pool": {"name": "node-1"}}})");
  const Value network_slice = Json(R"({"metadata": {"name": "net"},
    "spec": {"driver": "net.example.com", "allNodes": true}})");
  auto rs = [](std::string_view text) {
    absl::StatusOr<FieldSelector> s =
        FieldSelector::Parse(text, "resource.k8s.io/v1", "ResourceSlice");
    EXPECT_TRUE(s.ok()) << s.status();
    return *s;
  };
  EXPECT_TRUE(rs("spec.nodeName=node-1").Matches(slice));
  EXPECT_FALSE(rs("spec.nodeName=node-1").Matches(network_slice));
  EXPECT_TRUE(rs("spec.nodeName=").Matches(network_slice));
  EXPECT_TRUE(rs("spec.driver=gpu.nvidia.com,metadata.name=node-1-gpu").Matches(slice));

  const Value node = Json(R"({"metadata": {"name": "n1"}, "spec": {"unschedulable": true}})");
  absl::StatusOr<FieldSelector> cordoned =
      FieldSelector::Parse("spec.unschedulable=true", "v1", "Node");
  ASSERT_TRUE(cordoned.ok());
  EXPECT_TRUE(cordoned->Matches(node));
  EXPECT_FALSE(cordoned->Matches(Json(R"({"metadata": {"name": "n2"}})")));

  const Value event = Json(R"({"metadata": {"name": "e1", "namespace": "default"},
    "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default", "uid": "u1"},
    "reason": "Started", "type": "Normal", "reportingComponent": "kubelet"})");
  absl::StatusOr<FieldSelector> ev = FieldSelector::Parse(
      "involvedObject.kind=Pod,involvedObject.name=web,source=kubelet,type=Normal", "v1", "Event");
  ASSERT_TRUE(ev.ok()) << ev.status();
  EXPECT_TRUE(ev->Matches(event));

  const Value claim = Json(R"({"metadata": {"name": "c1", "namespace": "ns"}})");
  absl::StatusOr<FieldSelector> cl = FieldSelector::Parse("metadata.namespace=ns,metadata.name!=c2",
                                                          "resource.k8s.io/v1", "ResourceClaim");
  ASSERT_TRUE(cl.ok());
  EXPECT_TRUE(cl->Matches(claim));

  absl::StatusOr<FieldSelector> ns_phase =
      FieldSelector::Parse("status.phase=Active", "v1", "Namespace");
  ASSERT_TRUE(ns_phase.ok());
  EXPECT_TRUE(ns_phase->Matches(Json(R"({"status": {"phase": "Active"}})")));
}

}  // namespace
}  // namespace dra::apiserver
