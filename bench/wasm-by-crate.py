#!/usr/bin/env python3
"""Where the browser bundle's bytes go, by crate: the size of every function body of the WASM
(code section), attributed to the crate its (mangled) name starts with, plus the data section.
Reads a module that still has its `name` section: the served one has none (wasm-bindgen
--remove-name-section), so run wasm-bindgen once more without that flag:

    wasm-bindgen --target web --no-typescript --out-name safejdz --out-dir /tmp/named \
      target/wasm32-unknown-unknown/wasm-release/safejdz_app.wasm
    bench/wasm-by-crate.py /tmp/named/safejdz_bg.wasm

Sizes are raw bytes before compression; they show proportions, not what a phone downloads."""
import re
import sys
from collections import Counter


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, pos = leb(data, pos + 1)
        yield sid, data[pos:pos + size]
        pos += size


def crate_of(name):
    # v0 mangling (the precompiled std): the first crate root `C[s<hash>_]<len><ident>`.
    if name.startswith("_R"):
        m = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)([A-Za-z_][A-Za-z0-9_]*)", name)
        if m:
            return m.group(2)[: int(m.group(1))]
    # Legacy mangling: _ZN<len><ident>...; demangled forms keep "crate::".
    m = re.match(r"_ZN(\d+)", name)
    if m:
        n = int(m.group(1))
        start = m.end()
        ident = name[start:start + n]
        if ident.startswith("_$LT$"):
            inner = re.match(r"_\$LT\$(?:\d+)?([A-Za-z_][A-Za-z0-9_]*)", ident)
            return inner.group(1) if inner else "<impl>"
        return ident
    if "::" in name:
        # Demangled (wasm-bindgen writes names so): `<&mut serde_json::de::… as …>` belongs to
        # the type's crate, `<T as tachys::…>` to the trait's.
        name = name.lstrip("<").removeprefix("&mut ").removeprefix("&")
        if name.startswith("T as "):
            name = name[len("T as "):]
        return re.sub(r"\[[0-9a-f]+\]", "", name.split("::")[0])
    return "<other>"


def main():
    path = sys.argv[1]
    data = open(path, "rb").read()
    imported_funcs = 0
    bodies = []
    names = {}
    data_bytes = 0
    for sid, body in sections(data):
        if sid == 2:  # imports: count function imports, they take indices first
            count, pos = leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    length, pos = leb(body, pos)
                    pos += length
                kind = body[pos]
                pos += 1
                if kind == 0:
                    _, pos = leb(body, pos)
                    imported_funcs += 1
                elif kind == 1:
                    pos += 1
                    flags, pos = leb(body, pos)
                    _, pos = leb(body, pos)
                    if flags & 1:
                        _, pos = leb(body, pos)
                elif kind == 2:
                    flags, pos = leb(body, pos)
                    _, pos = leb(body, pos)
                    if flags & 1:
                        _, pos = leb(body, pos)
                elif kind == 3:
                    pos += 2
        elif sid == 10:
            count, pos = leb(body, 0)
            for _ in range(count):
                size, pos = leb(body, pos)
                bodies.append(size)
                pos += size
        elif sid == 11:
            data_bytes = len(body)
        elif sid == 0:
            nlen, pos = leb(body, 0)
            if body[pos:pos + nlen] != b"name":
                continue
            pos += nlen
            while pos < len(body):
                sub = body[pos]
                size, pos = leb(body, pos + 1)
                end = pos + size
                if sub == 1:
                    count, p = leb(body, pos)
                    for _ in range(count):
                        idx, p = leb(body, p)
                        length, p = leb(body, p)
                        names[idx] = body[p:p + length].decode("utf-8", "replace")
                        p += length
                pos = end
    by_crate = Counter()
    for i, size in enumerate(bodies):
        name = names.get(imported_funcs + i, "")
        by_crate[crate_of(name) if name else "<unnamed>"] += size
    total = sum(bodies) + data_bytes
    print(f"{path}: {len(data):,} bytes; code {sum(bodies):,} in {len(bodies)} functions; data {data_bytes:,}")
    print(f"{'crate':<28}{'bytes':>10}{'share':>8}")
    for crate, size in by_crate.most_common(25):
        print(f"{crate:<28}{size:>10,}{size / total:>8.1%}")
    print(f"{'(data section: strings, tables)':<28}{data_bytes:>10,}{data_bytes / total:>8.1%}")


if __name__ == "__main__":
    main()
