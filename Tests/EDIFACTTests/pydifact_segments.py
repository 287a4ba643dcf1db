"""Prints each EDIFACT file's segments as pydifact (MIT, PyPI) reads them: the tokenizer
oracle of EDIFACTCorpusTests. One JSON line per file: {"file": ..., "segments": [[tag,
[[component, ...], ...]], ...]} or {"file": ..., "error": ...} where pydifact refuses it.
Values are decoded in the charset UNB announces, as Hafen does."""
import json
import re
import sys
import warnings

from pydifact.parser import Parser

warnings.simplefilter("ignore")
CODECS = {"UNOC": "iso-8859-1", "UNOD": "iso-8859-2", "UNOE": "iso-8859-5", "UNOF": "iso-8859-7",
          "UNOG": "iso-8859-3", "UNOH": "iso-8859-4", "UNOI": "iso-8859-6", "UNOJ": "iso-8859-8",
          "UNOK": "iso-8859-9", "UNOL": "iso-8859-15", "UNOW": "utf-8", "UNOY": "utf-8"}

for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    found = re.search(rb"UNB.(UNO[A-Z])", raw)
    codec = CODECS.get(found.group(1).decode() if found else "", "iso-8859-1")
    try:
        text = raw.decode(codec)
        segments = []
        for segment in Parser().parse(text):
            if segment.tag == "UNA":
                continue
            elements = [[e] if isinstance(e, str) else list(e) for e in segment.elements]
            segments.append([segment.tag, elements])
        print(json.dumps({"file": path, "segments": segments}))
    except Exception as error:  # pydifact refuses the file: no oracle for it
        print(json.dumps({"file": path, "error": f"{type(error).__name__}: {error}"}))
