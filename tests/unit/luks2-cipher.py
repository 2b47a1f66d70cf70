#!/usr/bin/env python3
"""luks2-cipher.py FILE CIPHER: set the data segment's cipher of the LUKS2
header cryptsetup made in FILE (both copies, checksums remade), for the
ciphers this machine's cryptsetup cannot format without device-mapper
(serpent, sm4, ...). Only the header: the data is not re-encrypted. The
layout is cryptsetup's docs/on-disk-format-luks2.pdf."""
import hashlib
import json
import struct
import sys


def rewrite(f, off, cipher):
    f.seek(off)
    binary = bytearray(f.read(4096))
    if binary[:6] not in (b"LUKS\xba\xbe", b"SKUL\xba\xbe"):
        sys.exit("%s: no LUKS2 header at %d" % (f.name, off))
    size = struct.unpack(">Q", binary[8:16])[0]
    area = f.read(size - 4096)
    meta = json.loads(area.split(b"\0", 1)[0])
    meta["segments"]["0"]["encryption"] = cipher
    text = json.dumps(meta, separators=(",", ":")).encode()
    area = text + b"\0" * (size - 4096 - len(text))
    binary[448:512] = b"\0" * 64
    digest = hashlib.sha256(bytes(binary) + area).digest()
    binary[448:448 + len(digest)] = digest
    f.seek(off)
    f.write(bytes(binary) + area)
    return size


def main():
    path, cipher = sys.argv[1], sys.argv[2]
    with open(path, "r+b") as f:
        size = rewrite(f, 0, cipher)
        rewrite(f, size, cipher)


main()
