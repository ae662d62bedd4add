#!/usr/bin/env python3
# Keep every serialised type of the core deriving schemars::JsonSchema (feature "schema").
import re, sys, pathlib
root = pathlib.Path(sys.argv[1])
ATTR = '#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]'
WITH = '#[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]'
MANUAL = {'Actual'}  # schemas written by hand in schema.rs
n = 0
for p in sorted(root.rglob('*.rs')):
    lines = p.read_text().split('\n')
    out = []
    for i, l in enumerate(lines):
        s = l.strip()
        if re.match(r'#\[serde\(.*with = "(crate::check::)?decimal_str"\)\]$', s):
            prev = out[-1].strip() if out else ''
            if prev != WITH:
                out.append(l[:len(l)-len(l.lstrip())] + WITH); n += 1
        out.append(l)
        if s.startswith('#[derive(') and re.search(r'\b(Serialize|Deserialize)\b', s) and s.endswith(')]'):
            rest = lines[i+1:i+6]
            if any(ATTR in r for r in rest[:1]):
                continue
            item = next((r for r in rest if re.match(r'\s*pub(\(crate\))? (struct|enum) |\s*(struct|enum) ', r)), '')
            name = re.search(r'(struct|enum) (\w+)', item)
            if name and name.group(2) in MANUAL:
                continue
            out.append(l[:len(l)-len(l.lstrip())] + ATTR); n += 1
    p.write_text('\n'.join(out))
print(n)
