#!/usr/bin/env python3
"""Transcribes the Kubernetes generated.proto schemas (+ Go struct json tags) into the C++
schema table used by dra/api/codec/protobuf.cc.

Usage: K8S_API_REPO=... K8S_APIMACHINERY_REPO=... scripts/gen_protobuf_schema.py > schema.inc
then paste the output between the BEGIN/END GENERATED SCHEMA markers of protobuf.cc.

Field numbers and types come from generated.proto; JSON names, pointer-ness and inlining come
from the Go struct tags in types.go (joined by message name and field number).
"""
import re
import subprocess
import sys

# Git directories of kubernetes/api and kubernetes/apimachinery checkouts (bare repositories work:
# files are read with `git show HEAD:<path>`).
import os
API = os.environ.get('K8S_API_REPO', 'kubernetes-api')
MACH = os.environ.get('K8S_APIMACHINERY_REPO', 'kubernetes-apimachinery')

# proto package -> (repo, dir)
PACKAGES = {
    'k8s.io.api.core.v1': (API, 'core/v1'),
    'k8s.io.api.apps.v1': (API, 'apps/v1'),
    'k8s.io.api.coordination.v1': (API, 'coordination/v1'),
    'k8s.io.api.resource.v1': (API, 'resource/v1'),
    'k8s.io.api.resource.v1beta1': (API, 'resource/v1beta1'),
    'k8s.io.api.resource.v1beta2': (API, 'resource/v1beta2'),
    'k8s.io.apimachinery.pkg.apis.meta.v1': (MACH, 'pkg/apis/meta/v1'),
    'k8s.io.apimachinery.pkg.api.resource': (MACH, 'pkg/api/resource'),
    'k8s.io.apimachinery.pkg.util.intstr': (MACH, 'pkg/util/intstr'),
    'k8s.io.apimachinery.pkg.runtime': (MACH, 'pkg/runtime'),
    'k8s.io.apimachinery.pkg.runtime.schema': (MACH, 'pkg/runtime/schema'),
}

ROOTS = [
    'k8s.io.api.core.v1.Namespace',
    'k8s.io.api.core.v1.Pod',
    'k8s.io.api.core.v1.Node',
    'k8s.io.api.core.v1.Event',
    'k8s.io.api.core.v1.Binding',
    'k8s.io.api.core.v1.ConfigMap',
    'k8s.io.api.core.v1.Secret',
    'k8s.io.api.core.v1.ServiceAccount',
    'k8s.io.api.apps.v1.Deployment',
    'k8s.io.api.apps.v1.ReplicaSet',
    'k8s.io.api.coordination.v1.Lease',
    'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
] + [
    f'k8s.io.api.resource.{v}.{k}' for v in ('v1', 'v1beta1', 'v1beta2')
    for k in ('DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice')
] + ['k8s.io.api.resource.v1beta2.DeviceTaintRule']

# Messages with a custom JSON form, decoded by hand in protobuf.cc.
SPECIAL = {
    'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'kTime',
    'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'kMicroTime',
    'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'kDuration',
    'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'kRawJson',
    'k8s.io.apimachinery.pkg.runtime.RawExtension': 'kRawJson',
    'k8s.io.apimachinery.pkg.api.resource.Quantity': 'kQuantity',
    'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'kIntOrString',
}

SCALARS = {'string': 'kString', 'bytes': 'kBytes', 'bool': 'kBool', 'int32': 'kInt32',
           'int64': 'kInt64'}


def git_show(repo, path):
    return subprocess.run(['git', '-C', repo, 'show', 'HEAD:' + path], check=True,
                          capture_output=True, text=True).stdout


def git_ls(repo, d):
    out = subprocess.run(['git', '-C', repo, 'ls-tree', '--name-only', 'HEAD', d + '/'],
                         check=True, capture_output=True, text=True).stdout
    return out.split()


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def parse_proto(pkg):
    repo, d = PACKAGES[pkg]
    text = strip_comments(git_show(repo, d + '/generated.proto'))
    assert re.search(r'package\s+' + re.escape(pkg) + ';', text), pkg
    msgs = {}
    for m in re.finditer(r'message\s+(\w+)\s*\{([^{}]*)\}', text):
        name, body = m.group(1), m.group(2)
        fields = []
        for f in re.finditer(
                r'(?:(optional|repeated|required)\s+([\w.]+)|map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>)'
                r'\s+(\w+)\s*=\s*(\d+)\s*;', body):
            label, typ, kt, vt, fname, num = f.groups()
            if kt:
                fields.append(dict(label='map', type=vt, key=kt, name=fname, num=int(num)))
            else:
                fields.append(dict(label=label, type=typ, name=fname, num=int(num)))
        leftover = re.sub(r'(?:(optional|repeated|required)\s+[\w.]+|map<[^>]*>)\s+\w+\s*=\s*\d+\s*;',
                          '', body).strip()
        assert not leftover, (pkg, name, leftover)
        msgs[pkg + '.' + name] = fields
    assert 'oneof' not in text and 'enum ' not in text
    return msgs


def parse_go(pkg):
    """Returns {struct name: {field number: (json name, is pointer, inline)}}."""
    repo, d = PACKAGES[pkg]
    structs = {}
    for f in git_ls(repo, d):
        if not f.endswith('.go') or f.endswith('_test.go') or 'generated' in f:
            continue
        text = strip_comments(git_show(repo, f))
        for m in re.finditer(r'\btype\s+(\w+)\s+struct\s*\{', text):
            start = m.end()
            depth, i = 1, start
            while depth:
                if text[i] == '{':
                    depth += 1
                elif text[i] == '}':
                    depth -= 1
                i += 1
            body = text[start:i - 1]
            fields = {}
            for line in body.split('\n'):
                line = line.strip()
                if not line or '`' not in line:
                    continue
                decl, tag = line.split('`', 1)
                tag = tag.rstrip('`')
                pt = re.search(r'protobuf:"([^"]*)"', tag)
                if not pt or pt.group(1) == '-':
                    continue
                parts = pt.group(1).split(',')
                num = int(parts[1])
                jt = re.search(r'json:"([^"]*)"', tag)
                jname = jt.group(1).split(',')[0] if jt else None
                toks = decl.split()
                embedded = len(toks) == 1
                gotype = toks[-1] if embedded else ' '.join(toks[1:])
                inline = embedded and not jname
                if jname is None:
                    jname = toks[0]
                pass
                fields[num] = (jname, gotype.startswith('*'), inline, gotype)
            structs[m.group(1)] = fields
    return structs


def main():
    protos, gos = {}, {}
    for pkg in PACKAGES:
        protos.update(parse_proto(pkg))
        gos[pkg] = parse_go(pkg)

    def resolve(typ, pkg):
        if typ in SCALARS:
            return typ
        if typ.startswith('.'):
            full = typ[1:]
        else:
            full = pkg + '.' + typ
        assert full in protos, (typ, pkg)
        return full

    # Closure.
    seen, order, work = set(), [], list(ROOTS)
    while work:
        name = work.pop(0)
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        if name in SPECIAL:
            continue
        pkg = name.rsplit('.', 1)[0]
        for f in protos[name]:
            t = resolve(f['type'], pkg)
            if t not in SCALARS:
                work.append(t)

    order.sort()
    out = []
    warnings = []
    for name in order:
        pkg, short = name.rsplit('.', 1)
        ident = 'k' + re.sub(r'[^A-Za-z0-9]', '_', name.replace('k8s.io.', ''))
        if name in SPECIAL:
            continue
        gostruct = gos[pkg].get(short)
        if gostruct is None:
            warnings.append('no Go struct for ' + name)
            gostruct = {}
        rows = []
        for f in sorted(protos[name], key=lambda f: f['num']):
            t = resolve(f['type'], pkg)
            g = gostruct.get(f['num'])
            if g is None:
                warnings.append(f'no Go field for {name}.{f["name"]} = {f["num"]}')
                jname, ptr, inline, gotype = f['name'], False, False, '?'
            else:
                jname, ptr, inline, gotype = g
            if not inline and jname != f['name']:
                warnings.append(f'json name {jname} != proto name {f["name"]} in {name}')
            flags = []
            if f['label'] == 'repeated':
                flags.append('kRepeated')
            if f['label'] == 'map':
                flags.append('kMap')
                assert f['key'] == 'string', (name, f)
            if ptr:
                flags.append('kPointer')
            if inline:
                flags.append('kInline')
                jname = ''
            kind = SCALARS.get(t, 'kMessage')
            msg = 'nullptr' if t in SCALARS else '"' + t + '"'
            rows.append(f'    {{{f["num"]}, "{jname}", FieldKind::{kind}, '
                        f'{"|".join(flags) or "0"}, {msg}}},')
        out.append(f'constexpr FieldSchema {ident}[] = {{\n' + '\n'.join(rows) + '\n};')
    table = []
    for name in order:
        ident = 'k' + re.sub(r'[^A-Za-z0-9]', '_', name.replace('k8s.io.', ''))
        if name in SPECIAL:
            table.append(f'    {{"{name}", {{}}, Special::{SPECIAL[name]}}},')
        else:
            table.append(f'    {{"{name}", {ident}, Special::kNone}},')
    print('// BEGIN GENERATED SCHEMA (from generated.proto + types.go json tags)')
    print('\n'.join(out))
    print('constexpr MessageSchema kMessages[] = {\n' + '\n'.join(table) + '\n};')
    print('// END GENERATED SCHEMA')
    for w in warnings:
        print('WARNING', w, file=sys.stderr)
    print(len(order), 'messages', file=sys.stderr)


main()
