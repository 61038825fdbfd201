#!/usr/bin/env python3
"""Generates the PS3.15 Table E.1-1 action table used by nl.beeldbrug.adapters.dicom.deid.ConfidentialityProfile.

Input: standard/confidentiality_profile_attributes.json of innolitics/dicom-standard (MIT licence), which that
project extracts from the web version of the DICOM standard (PS3.15 Table E.1-1, Application Level
Confidentiality Profile Attributes). Used here: commit 7f4749d09ed3ef2fa70637d376d423a4b13523cd (2025-01-28),
https://github.com/innolitics/dicom-standard/blob/7f4749d09ed3ef2fa70637d376d423a4b13523cd/standard/confidentiality_profile_attributes.json

Usage (from the repository root):
  python3 adapters/dicom/tools/generate-deid-table.py path/to/confidentiality_profile_attributes.json \
      > adapters/dicom/src/main/resources/nl/beeldbrug/adapters/dicom/deid/confidentiality-profile.tsv

Values are copied as they are (no action is typed in by hand; white space in names is collapsed to one space);
rows are sorted by tag text.
"""
import hashlib
import json
import sys

SOURCE_REPO = "innolitics/dicom-standard"
SOURCE_PATH = "standard/confidentiality_profile_attributes.json"
SOURCE_COMMIT = "7f4749d09ed3ef2fa70637d376d423a4b13523cd"
SOURCE_DATE = "2025-01-28"

# The option columns of Table E.1-1, in the order of the standard's table.
COLUMNS = ["tag", "name", "stdCompIOD", "basicProfile", "rtnSafePrivOpt", "rtnUIDsOpt", "rtnDevIdOpt",
           "rtnInstIdOpt", "rtnPatCharsOpt", "rtnLongFullDatesOpt", "rtnLongModifDatesOpt", "cleanDescOpt",
           "cleanStructContOpt", "cleanGraphOpt"]


def main(path):
    raw = open(path, "rb").read()
    rows = json.loads(raw)
    unknown = {k for r in rows for k in r} - set(COLUMNS) - {"id"}
    if unknown:
        sys.exit("unexpected columns in the source: %s" % sorted(unknown))
    for r in rows:
        r["name"] = " ".join(r["name"].split())  # one name has "\n\n(see Note 11)"; actions are left untouched
        for c in COLUMNS:
            v = r.get(c, "")
            if "\t" in v or "\n" in v:
                sys.exit("tab or newline in %s of %s" % (c, r["tag"]))
    out = sys.stdout
    out.write("# PS3.15 Table E.1-1 Application Level Confidentiality Profile Attributes. GENERATED, do not edit.\n")
    out.write("# generator: adapters/dicom/tools/generate-deid-table.py\n")
    out.write("# source: %s %s commit %s (%s), MIT licence, sha256 %s\n"
              % (SOURCE_REPO, SOURCE_PATH, SOURCE_COMMIT, SOURCE_DATE, hashlib.sha256(raw).hexdigest()))
    out.write("# rows: %d; empty cell = no action in that column\n" % len(rows))
    out.write("\t".join(COLUMNS) + "\n")
    for r in sorted(rows, key=lambda r: r["tag"].upper()):
        out.write("\t".join(r.get(c, "") for c in COLUMNS) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
