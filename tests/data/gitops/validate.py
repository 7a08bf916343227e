#!/usr/bin/env python3
"""Validate the Argo CD and Flux objects of a GitOps tree against the CRDs kept here.

Usage:
    python3 validate.py FILE.yaml [FILE.yaml ...]

Every YAML document whose apiVersion and kind match one of the CRDs in this directory
(*-crd.yaml: Argo CD's ApplicationSet, Flux's Kustomization) is checked against the
`openAPIV3Schema` of the version it names, read as ../argo-rollouts/validate.py reads structural
schemas (its `prepare`, `format_checker` and ObjectMeta schema): unknown fields are errors,
int-or-string and nullable are honoured, CEL rules are ignored. Other documents are skipped.

Prints `FILE KIND/NAME PATH: MESSAGE` per error and exits 1; otherwise prints how many objects
of each kind were valid and exits 0 (exit 1 too when no document was checked at all).
"""

import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "argo-rollouts"))
import validate as rollouts  # noqa: E402  (PyYAML and jsonschema are checked there)
import jsonschema  # noqa: E402
import yaml  # noqa: E402


def schemas():
    out = {}
    for path in glob.glob(os.path.join(HERE, "*-crd.yaml")):
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


def main(paths):
    known = schemas()
    checker = rollouts.format_checker()
    errors, valid = 0, {}
    for path in paths:
        with open(path) as fh:
            for doc in yaml.safe_load_all(fh):
                if not isinstance(doc, dict):
                    continue
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
    if not valid:
        print("no Argo CD or Flux object checked")
        return 1
    print(", ".join("%d %s" % (n, k) for k, n in sorted(valid.items())) + " valid")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
