#!/usr/bin/env python3
"""Picks a small corpus to commit: python3 tests/fuzz/pick.py TARGET [COUNT [BYTES]]

Runs libFuzzer's set-cover merge over the committed corpus and the scratch one of
run.sh; its control file lists every coverage feature of every input. Keeps the
committed files (seeds and regressions, which cargo test replays by name) and adds,
greedily, the inputs that add the most new features per byte, up to COUNT files
(default 16) and BYTES bytes (default 40000). Build the target first (run.sh).
"""
import hashlib, os, shutil, subprocess, sys, tempfile

target = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 16
budget = int(sys.argv[3]) if len(sys.argv) > 3 else 40000
root = os.path.dirname(os.path.abspath(__file__))
binary = os.path.join(root, 'target/x86_64-unknown-linux-gnu/release', target)
committed = os.path.join(root, 'corpus', target)
scratch = os.path.join(root, 'target/corpus', target)

with tempfile.TemporaryDirectory() as tmp:
    control = os.path.join(tmp, 'control')
    out = os.path.join(tmp, 'out')
    os.mkdir(out)
    subprocess.run(['nice', '-n', '10', binary, '-set_cover_merge=1', f'-merge_control_file={control}', out, committed, scratch],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = open(control).read().splitlines()
    n = int(lines[0])
    files = lines[2:2 + n]
    features = {}
    for line in lines[2 + n:]:
        if line.startswith('FT '):
            i, *items = line.split()[1:]
            features[int(i)] = set(items)

covered = set().union(*(features.get(i, set()) for i, f in enumerate(files) if f.startswith(committed + os.sep)))
seeded = len(covered)
kept, size = [], 0
candidates = {i: ft for i, ft in features.items() if files[i].startswith(scratch + os.sep)
              and os.path.getsize(files[i]) <= budget}
while len(kept) < count and candidates:
    best = max(candidates, key=lambda i: len(candidates[i] - covered) / (os.path.getsize(files[i]) + 64))
    if not candidates[best] - covered or size + os.path.getsize(files[best]) > budget:
        break
    covered |= candidates.pop(best)
    kept.append(files[best])
    size += os.path.getsize(files[best])
for f in kept:
    data = open(f, 'rb').read()
    shutil.copy(f, os.path.join(committed, hashlib.sha1(data).hexdigest()))
everything = set().union(*features.values())
print(f'{target}: added {len(kept)} inputs ({size} bytes); coverage features: {seeded} before, '
      f'{len(covered)} now, {len(everything)} in all {len(files)} inputs')
