#!/usr/bin/env python3
"""Validate Argo Rollouts `Rollout` objects against the Rollout CRD schema.

Usage:
    python3 validate.py CRD.yaml OBJECT.yaml [OBJECT.yaml ...]
    python3 validate.py --gatewayapi-plugin CRD.yaml OBJECT.yaml ...

Every YAML document (including items of a `kind: List`) whose `kind` is
`Rollout` is checked against the `openAPIV3Schema` of the CRD version named by
its apiVersion (argoproj.io/<version>, normally v1alpha1). Other documents
are ignored.

How the CRD schema is interpreted (see README.md in this directory):
  * `x-kubernetes-int-or-string: true`  -> the value must be an integer or a string.
  * `nullable: true`                    -> null is also accepted.
  * `format: int32` / `int64`           -> integer range is checked.
  * Unknown fields. The API server *prunes* fields that are not in a structural
    schema; it does not reject them. A pruned field is almost always a typo in
    what we emit, so this script REPORTS it as an error: every object node
    (`type: object`, or a node with `properties`) that has neither
    `additionalProperties` nor `x-kubernetes-preserve-unknown-fields: true`
    is treated as closed. Below a node with
    `x-kubernetes-preserve-unknown-fields: true` anything is allowed.
  * Top-level `metadata` is `type: object` with no properties in the CRD (the
    API server validates ObjectMeta itself). A small ObjectMeta schema is used
    for it, so typos such as `metadata.label` are also caught.
  * CEL rules (`x-kubernetes-validations`), list/map-type markers and
    `default` are ignored.

With --gatewayapi-plugin, the free-form config under
spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"] (which
the CRD leaves open with x-kubernetes-preserve-unknown-fields) is also checked
against the keys of GatewayAPITrafficRouting in
argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi pkg/plugin/types.go.

Prints `LOCATION PATH: MESSAGE` for every error and exits 1; otherwise prints
`N Rollouts valid` and exits 0. Exit status 2 means bad usage or unreadable
input.
"""

import copy
import sys

try:
    import yaml
    import jsonschema
except ImportError as exc:  # pragma: no cover
    sys.stderr.write("validate.py needs PyYAML and jsonschema (pip install pyyaml jsonschema): %s\n" % exc)
    sys.exit(2)


GROUP = "argoproj.io"

INT_RANGES = {
    "int32": (-(2 ** 31), 2 ** 31 - 1),
    "int64": (-(2 ** 63), 2 ** 63 - 1),
}

_STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}}

# Enough of ObjectMeta to catch typos in what we emit.
OBJECT_META_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "generateName": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": _STR_MAP,
        "annotations": _STR_MAP,
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object"}},
        "uid": {"type": "string"},
        "resourceVersion": {"type": "string"},
        "generation": {"type": "integer"},
        "creationTimestamp": {},
        "deletionTimestamp": {},
        "deletionGracePeriodSeconds": {"type": "integer"},
        "managedFields": {"type": "array"},
        "selfLink": {"type": "string"},
    },
    "additionalProperties": False,
}

# json tags of GatewayAPITrafficRouting (and its route structs) in
# argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi pkg/plugin/types.go.
_ROUTE_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "useHeaderRoutes": {"type": "boolean"}},
        "required": ["name"],
        "additionalProperties": False,
    },
}
_LABEL_SELECTOR = {
    "type": "object",
    "properties": {
        "matchLabels": _STR_MAP,
        "matchExpressions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "operator": {"type": "string"},
                    "values": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["key", "operator"],
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
GATEWAYAPI_PLUGIN_SCHEMA = {
    "type": "object",
    "properties": {
        "httpRoute": {"type": "string"},
        "grpcRoute": {"type": "string"},
        "tcpRoute": {"type": "string"},
        "tlsRoute": {"type": "string"},
        "namespace": {"type": "string"},
        "configMap": {"type": "string"},
        "httpRoutes": _ROUTE_LIST,
        "grpcRoutes": _ROUTE_LIST,
        "tcpRoutes": _ROUTE_LIST,
        "tlsRoutes": _ROUTE_LIST,
        "httpRouteSelector": _LABEL_SELECTOR,
        "grpcRouteSelector": _LABEL_SELECTOR,
        "tcpRouteSelector": _LABEL_SELECTOR,
        "tlsRouteSelector": _LABEL_SELECTOR,
        "disableInProgressLabel": {"type": "boolean"},
        "inProgressLabelKey": {"type": "string"},
        "inProgressLabelValue": {"type": "string"},
    },
    "additionalProperties": False,
}
GATEWAYAPI_PLUGIN_NAME = "argoproj-labs/gatewayAPI"


def prepare(node):
    """Return a JSON-Schema (draft 7) copy of a Kubernetes structural schema node."""
    if isinstance(node, list):
        return [prepare(n) for n in node]
    if not isinstance(node, dict):
        return node

    out = {}
    for key, value in node.items():
        if key in ("properties", "patternProperties", "definitions"):
            out[key] = {k: prepare(v) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            out[key] = prepare(value) if isinstance(value, (dict, list)) else value
        elif key in ("anyOf", "allOf", "oneOf"):
            out[key] = [prepare(v) for v in value]
        elif key.startswith("x-kubernetes-") or key in ("nullable", "default", "description", "example"):
            continue  # handled below or not a validation keyword here
        else:
            out[key] = value

    if node.get("x-kubernetes-int-or-string"):
        # Any `type` on such a node is replaced; a `pattern` next to it still
        # applies (JSON Schema applies `pattern` to strings only).
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]

    preserve = bool(node.get("x-kubernetes-preserve-unknown-fields"))
    is_object = out.get("type") == "object" or "properties" in out
    if is_object and not preserve and "additionalProperties" not in out:
        out["additionalProperties"] = False

    if node.get("nullable"):
        out = {"anyOf": [{"type": "null"}, out]}
    return out


def format_checker():
    checker = jsonschema.FormatChecker(formats=())
    for name, (lo, hi) in INT_RANGES.items():
        def check(instance, lo=lo, hi=hi):
            if isinstance(instance, bool) or not isinstance(instance, int):
                return True
            return lo <= instance <= hi
        checker.checks(name)(check)
    return checker


def load_crd(path):
    try:
        with open(path) as fh:
            docs = [d for d in yaml.safe_load_all(fh) if d]
    except (OSError, yaml.YAMLError) as exc:
        sys.stderr.write("%s: cannot read CRD YAML: %s\n" % (path, exc))
        sys.exit(2)
    for doc in docs:
        if (isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition"
                and doc.get("spec", {}).get("names", {}).get("kind") == "Rollout"):
            return doc
    sys.stderr.write("%s: no CustomResourceDefinition for kind Rollout found\n" % path)
    sys.exit(2)


def version_schemas(crd, gatewayapi_plugin):
    schemas = {}
    for version in crd["spec"]["versions"]:
        raw = version["schema"]["openAPIV3Schema"]
        schema = prepare(raw)
        schema.setdefault("properties", {})["metadata"] = OBJECT_META_SCHEMA
        if gatewayapi_plugin:
            plugins = (schema["properties"]["spec"]["properties"]["strategy"]["properties"]
                       ["canary"]["properties"]["trafficRouting"]["properties"]["plugins"])
            plugins.setdefault("properties", {})[GATEWAYAPI_PLUGIN_NAME] = GATEWAYAPI_PLUGIN_SCHEMA
        schemas["%s/%s" % (GROUP, version["name"])] = schema
    return schemas


def fmt_path(parts):
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += "[%d]" % p
        elif out == "":
            out = str(p)
        elif all(c.isalnum() or c in "_-" for c in str(p)) and not str(p)[:1].isdigit():
            out += "." + str(p)
        else:
            out += "[%r]" % (p,)
    return out or "(root)"


def describe(error):
    """Yield (path, message) pairs for one jsonschema error."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and error.validator_value is False and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        for extra in sorted(k for k in error.instance if k not in known):
            hint = ""
            close = [k for k in known if k.lower() == str(extra).lower()]
            if close:
                hint = " (did you mean %r?)" % close[0]
            elif known:
                hint = " (known: %s)" % ", ".join(sorted(known))
            yield fmt_path(path + [extra]), "unknown field %r, not in the schema%s" % (extra, hint)
        return
    if error.validator == "anyOf" and error.context:
        wanted = sorted({str(c.validator_value) for c in error.context if c.validator == "type"})
        if wanted:
            yield fmt_path(path), "%r is not of type %s" % (error.instance, " or ".join(wanted))
            return
    if error.validator == "format":
        yield fmt_path(path), "%r is out of range for %s" % (error.instance, error.validator_value)
        return
    yield fmt_path(path), error.message


def iter_objects(doc):
    if isinstance(doc, dict) and doc.get("kind") == "List" and isinstance(doc.get("items"), list):
        for item in doc["items"]:
            yield from iter_objects(item)
    else:
        yield doc


def main(argv):
    args = list(argv)
    gatewayapi_plugin = False
    if "--gatewayapi-plugin" in args:
        args.remove("--gatewayapi-plugin")
        gatewayapi_plugin = True
    if len(args) < 2 or any(a.startswith("-") for a in args):
        sys.stderr.write(__doc__)
        return 2

    crd = load_crd(args[0])
    schemas = version_schemas(crd, gatewayapi_plugin)
    checker = format_checker()
    validators = {k: jsonschema.Draft7Validator(s, format_checker=checker) for k, s in schemas.items()}

    errors = []
    count = 0
    for path in args[1:]:
        try:
            with open(path) as fh:
                docs = list(yaml.safe_load_all(fh))
        except (OSError, yaml.YAMLError) as exc:
            errors.append("%s: cannot read YAML: %s" % (path, exc))
            continue
        for index, doc in enumerate(docs):
            for obj in iter_objects(doc):
                if not isinstance(obj, dict) or obj.get("kind") != "Rollout":
                    continue
                count += 1
                name = (obj.get("metadata") or {}).get("name", "?") if isinstance(obj.get("metadata"), dict) else "?"
                where = "%s#%d Rollout/%s" % (path, index, name)
                api_version = obj.get("apiVersion")
                validator = validators.get(api_version)
                if validator is None:
                    errors.append("%s apiVersion: %r is not served by this CRD (served: %s)"
                                  % (where, api_version, ", ".join(sorted(validators))))
                    continue
                found = sorted(validator.iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path])
                for error in found:
                    for p, msg in describe(error):
                        errors.append("%s %s: %s" % (where, p, msg))

    if errors:
        for line in errors:
            print(line)
        print("%d error(s) in %d Rollout(s)" % (len(errors), count), file=sys.stderr)
        return 1
    if count == 0:
        print("warning: no Rollout documents found", file=sys.stderr)
    print("%d Rollouts valid" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
