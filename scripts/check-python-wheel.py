"""Checks the Python package that scripts/python-wheel.sh built.

    python3 scripts/check-python-wheel.py DIST_DIR JSII_ASSEMBLY

The package cannot be imported here: it needs the `jsii` runtime and the cdk8s packages from
PyPI, which these machines do not reach. What is checked instead: the wheel's files, the npm
package it embeds (the same allowlist as the npm package), its metadata and dependencies, a
README whose samples are in Python, that every module compiles, and that every type of the
jsii assembly is a Python class. Exits non-zero on the first failed check.
"""
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

dist, assembly_file = Path(sys.argv[1]), Path(sys.argv[2])
assembly = json.loads(assembly_file.read_text())
name, version = assembly["name"], assembly["version"]
module = assembly["targets"]["python"]["module"]
checks = 0


def check(condition, message):
    global checks
    if not condition:
        sys.exit(f"check-python-wheel: FAILED: {message}")
    checks += 1


wheels = sorted(dist.glob("*.whl"))
sdists = sorted(dist.glob("*.tar.gz"))
check(len(wheels) == 1 and len(sdists) == 1, f"one wheel and one sdist in {dist}: {wheels + sdists}")
wheel = zipfile.ZipFile(wheels[0])
files = set(wheel.namelist())

tarball = f"{module}/_jsii/{name}@{version}.jsii.tgz"
for expected in [f"{module}/__init__.py", f"{module}/_jsii/__init__.py", f"{module}/py.typed", tarball]:
    check(expected in files, f"{expected} in the wheel")

# The npm package inside: the allowlist of package.json `files`, the bin and the bundled re2-wasm.
with tarfile.open(fileobj=io.BytesIO(wheel.read(tarball))) as tgz:
    entries = [m.name for m in tgz.getmembers()]
top = sorted({e.split("/")[1] for e in entries})
check(top == [".jsii", "API.md", "LICENSE", "README.md", "lib", "node_modules", "package.json"],
      f"embedded npm package's top-level entries: {top}")
for expected in ["package/lib/cli.js", "package/lib/index.js", "package/node_modules/re2-wasm/build/wasm/re2.wasm"]:
    check(expected in entries, f"{expected} in the embedded npm package")

# Metadata: name, version, dependencies, and the README translated to Python by rosetta.
metadata_name = next(f for f in files if f.endswith(".dist-info/METADATA"))
metadata = wheel.read(metadata_name).decode()
check(re.search(r"^Name: cdk8s-mesh$", metadata, re.M), "Name: cdk8s-mesh")
check(re.search(rf"^Version: {re.escape(version)}$", metadata, re.M), f"Version: {version}")
requires = re.findall(r"^Requires-Dist: ([\w.-]+)", metadata, re.M)
for dependency in ["jsii", "cdk8s", "cdk8s-plus-27", "constructs"]:
    check(dependency in requires, f"Requires-Dist {dependency} (has {requires})")
check("from cdk8s_mesh import CertificateSource, LoadBalancer, Mesh, MeshService" in metadata,
      "the README's quick start in Python")
check("```ts" not in metadata and "```typescript" not in metadata, "no TypeScript sample left in the README")

# Every module compiles, and every type of the assembly is a class of the module.
sources = {f: wheel.read(f).decode() for f in files if f.endswith(".py")}
for file, source in sources.items():
    compile(source, file, "exec")
    checks += 1
init = sources[f"{module}/__init__.py"]
missing = [t["name"] for t in assembly["types"].values() if not re.search(rf"^class {t['name']}\b", init, re.M)]
check(not missing, f"every jsii type is a Python class (missing: {missing})")
check(re.search(r"^    def call_to\(", init, re.M), "MeshService.call_to")

print(f"check-python-wheel: {wheels[0].name} and {sdists[0].name}: {checks} checks, all met "
      f"({len(sources)} modules, {len(assembly['types'])} types)")
