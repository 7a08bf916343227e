#!/usr/bin/env python3
"""Validate emitted operator resources against the CRDs kept in this directory.

Usage:
    python3 validate.py OBJECT.yaml [OBJECT.yaml ...]

Every YAML document (also items of a `kind: List`) whose apiVersion group and kind match one
of the CRDs here (*.yaml) is checked against the `openAPIV3Schema` of the version it names,
with the same reading of structural schemas as ../argo-rollouts/validate.py (whose `prepare`,
`format_checker` and ObjectMeta schema this reuses): unknown fields are errors, int-or-string
and nullable are honoured, CEL rules are ignored. Documents of other kinds are skipped.

Prints `FILE KIND/NAME PATH: MESSAGE` per error and exits 1; otherwise prints how many objects
of each kind were valid and exits 0.
"""

import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "argo-rollouts"))
import validate as rollouts  # noqa: E402  (PyYAML and jsonschema are checked there)
import jsonschema  # noqa: E402
import yaml  # noqa: E402


def schemas(pattern):
    """(apiVersion, kind) -> JSON schema of that served version, from the CRDs `pattern` globs."""
    out = {}
    for path in glob.glob(pattern):
        with open(path) as fh:
            for doc in yaml.safe_load_all(fh):
                if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                    continue
                spec = doc["spec"]
                for version in spec.get("versions", []):
                    schema = rollouts.prepare(version["schema"]["openAPIV3Schema"])
                    schema.setdefault("properties", {})["metadata"] = rollouts.OBJECT_META_SCHEMA
                    out[("%s/%s" % (spec["group"], version["name"]), spec["names"]["kind"])] = schema
    return out


def documents(path):
    with open(path) as fh:
        for doc in yaml.safe_load_all(fh):
            if isinstance(doc, dict) and doc.get("kind") == "List":
                yield from doc.get("items", [])
            elif isinstance(doc, dict):
                yield doc


def main(paths, crds=os.path.join(HERE, "*.yaml"), none_checked=None):
    """Checks `paths` against the CRDs globbed by `crds`; with `none_checked`, a run that checks
    no document prints it and fails (a caller that expects objects of these kinds)."""
    known = schemas(crds)
    checker = rollouts.format_checker()
    errors, valid = 0, {}
    for path in paths:
        for doc in documents(path):
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key not in known:
                continue
            validator = jsonschema.Draft7Validator(known[key], format_checker=checker)
            name = "%s/%s" % (doc.get("kind"), doc.get("metadata", {}).get("name"))
            found = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
            for e in found:
                print("%s %s %s: %s" % (path, name, "/".join(str(p) for p in e.absolute_path), e.message))
            errors += len(found)
            if not found:
                valid[doc["kind"]] = valid.get(doc["kind"], 0) + 1
    if errors:
        return 1
    if none_checked and not valid:
        print(none_checked)
        return 1
    print(", ".join("%d %s" % (n, k) for k, n in sorted(valid.items())) + " valid")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
