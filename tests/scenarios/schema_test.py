#!/usr/bin/env python3
"""scenario.schema.json is a valid draft 2020-12 schema, every bundled scenario
conforms to it, and it rejects a file with unknown keys (the loader, which
checks much more, is tested in C++)."""
import glob, json, os, sys
import jsonschema

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scenarios")
schema = json.load(open(os.path.join(root, "scenario.schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
files = [f for f in sorted(glob.glob(os.path.join(root, "*.json"))) if not f.endswith("scenario.schema.json")]
for f in files:
    errors = list(validator.iter_errors(json.load(open(f))))
    for e in errors:
        print(f"{os.path.basename(f)}: {'/'.join(map(str, e.path))}: {e.message}")
    failed += bool(errors)
bad = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "bad_scenario.json")
if not list(validator.iter_errors(json.load(open(bad)))):
    print("bad_scenario.json passed the schema")
    failed += 1
print(f"{len(files)} scenarios, {failed} failed")
sys.exit(1 if failed else 0)
