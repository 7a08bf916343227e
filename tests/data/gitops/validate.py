#!/usr/bin/env python3
"""Validate the Argo CD and Flux objects of a GitOps tree against the CRDs kept here.

Usage:
    python3 validate.py FILE.yaml [FILE.yaml ...]

Every YAML document whose apiVersion and kind match one of the CRDs in this directory
(*-crd.yaml: Argo CD's ApplicationSet, Flux's Kustomization) is checked against the
`openAPIV3Schema` of the version it names, by ../operators/validate.py (the one reader of
structural schemas for the CRDs kept as test data): unknown fields are errors, int-or-string
and nullable are honoured, CEL rules are ignored. Other documents are skipped.

Prints `FILE KIND/NAME PATH: MESSAGE` per error and exits 1; otherwise prints how many objects
of each kind were valid and exits 0 (exit 1 too when no document was checked at all).
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Loaded under its own name: it imports ../argo-rollouts/validate.py as `validate` itself.
_spec = importlib.util.spec_from_file_location("operators_validate", os.path.join(HERE, "..", "operators", "validate.py"))
operators = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(operators)

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(
        operators.main(
            sys.argv[1:],
            crds=os.path.join(HERE, "*-crd.yaml"),
            none_checked="no Argo CD or Flux object checked",
        )
    )
