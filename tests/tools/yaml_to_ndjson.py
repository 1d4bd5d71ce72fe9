#!/usr/bin/env python3
"""Converts a multi-document YAML file to NDJSON, one document a line, for decoder tests.

Kubernetes tools write events as YAML; EventScope reads JSON. Timestamps PyYAML turns into
datetime objects go back to RFC 3339 strings.

    yaml_to_ndjson.py INPUT.yaml OUTPUT.ndjson
"""
import datetime
import json
import sys

import yaml


def plain(value):
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    return value


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as stream, open(target, "w", encoding="utf-8") as out:
        for document in yaml.safe_load_all(stream):
            if document is not None:
                out.write(json.dumps(plain(document), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
