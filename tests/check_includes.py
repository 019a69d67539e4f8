#!/usr/bin/env python3
"""Fails when modules include each other in a circle.

A module is src/X.c with its header include/salesplan/X.h; an edge X -> Y
is an #include "salesplan/Y.h" in either file.  Private headers in src/
belong to the module that includes them."""
import glob
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
os.chdir(root)
inc = re.compile(r'\s*#\s*include\s+"salesplan/([A-Za-z0-9_]+)\.h"')
mods = {os.path.basename(f)[:-2] for f in glob.glob('src/*.c')}
mods |= {os.path.basename(f)[:-2] for f in glob.glob('include/salesplan/*.h')}
graph = {m: set() for m in mods}
for m in mods:
    for path in ('src/%s.c' % m, 'include/salesplan/%s.h' % m):
        if os.path.exists(path):
            for line in open(path, errors='replace'):
                x = inc.match(line)
                if x and x.group(1) != m:
                    graph[m].add(x.group(1))

state, stack, cycles = {}, [], []


def visit(u):
    state[u] = 1
    stack.append(u)
    for v in sorted(graph.get(u, ())):
        if state.get(v) == 1:
            cycles.append(stack[stack.index(v):] + [v])
        elif v not in state:
            visit(v)
    stack.pop()
    state[u] = 2


for m in sorted(graph):
    if m not in state:
        visit(m)
if cycles:
    for c in cycles:
        print('include cycle: ' + ' -> '.join(c), file=sys.stderr)
    sys.exit(1)
print('includes: %d modules, no cycle' % len(graph))
