"""Re-fetch the vendored front-end assets in static/vendor/ and verify them against MANIFEST.json.

Usage: python scripts/vendor.py [--record]

Each asset in the manifest names its npm package, version and the path of the file(s)
inside the package ("source": "npm:htmx.org@2.0.11 dist/htmx.min.js"); "files" lists where
they go under static/vendor/ (in the same order; a LICENSE entry receives the package's own
licence file). The packages are fetched with `npm pack` into a temporary directory, every
file with a recorded sha256 is checked, and only then is anything written. A mismatch stops
with an error and changes nothing. After bumping a version, run with --record to write the
new hashes into the manifest (and review the diff).

Source-map comments (`//# sourceMappingURL=…`) are removed from scripts and stylesheets before
they are hashed: the maps are not vendored, and `collectstatic` with the production storage
refuses a file that references one it cannot find. The recorded hashes are of the files as
vendored, so they hold for what is in static/vendor/. A vendored file that still references
another file (a map, an import) that is not vendored stops the run.

Needs npm (Debian package: npm); uses nothing but the standard library otherwise.
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"
LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING")
# The comment a minifier appends to name its source map: `//# sourceMappingURL=x.map` in scripts,
# `/*# sourceMappingURL=x.map */` in stylesheets.
SOURCE_MAP_COMMENT = re.compile(rb"\n?(//[#@] sourceMappingURL=[^\s]*|/\*[#@] sourceMappingURL=[^*]*\*/)[ \t]*(?=\n|$)")


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def is_licence(name):
    return Path(name).name.upper().startswith(LICENCE_NAMES)


def strip_source_map(path):
    """Remove source-map comments from a fetched script or stylesheet, in place."""
    if path.suffix in {".js", ".mjs", ".css"}:
        path.write_bytes(SOURCE_MAP_COMMENT.sub(b"", path.read_bytes()))


def references_to_missing_files(path, vendored):
    """Return the files a vendored script or stylesheet still names that will not be vendored beside it."""
    if path.suffix not in {".js", ".mjs", ".css"}:
        return []
    named = re.findall(rb"[#@] sourceMappingURL=([^\s*]+)", path.read_bytes())
    return [name.decode() for name in named if name.decode() not in vendored]


def parse_source(asset):
    """Return (npm spec, [paths inside the package]) from an asset's "source"."""
    kind, _, rest = asset["source"].partition(":")
    spec, *paths = rest.split()
    if kind != "npm" or not paths:
        raise SystemExit(f"{asset['name']}: source must look like 'npm:<package>@<version> <path> …'")
    if spec != f"{asset['name']}@{asset['version']}":
        raise SystemExit(f"{asset['name']}: source names {spec}, but the version is {asset['version']}")
    return spec, paths


def unpack(spec, workdir):
    """npm pack spec into workdir and return the unpacked package directory."""
    completed = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
    )
    tarball = workdir / completed.stdout.strip().splitlines()[-1]
    target = workdir / tarball.stem
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def fetch(asset, workdir):
    """Return {destination under static/vendor: fetched file} for one asset."""
    spec, paths = parse_source(asset)
    package = unpack(spec, workdir)
    licences = sorted(p for p in package.iterdir() if p.is_file() and is_licence(p.name))
    wanted = {}
    sources = iter(paths)
    for destination in asset["files"]:
        if is_licence(destination):
            if not licences:
                raise SystemExit(f"{spec}: the package has no licence file for {destination}")
            wanted[destination] = licences[0]
        else:
            source = next(sources, None)
            if source is None:
                raise SystemExit(f"{spec}: more files than source paths in the manifest")
            wanted[destination] = package / source
    for destination, path in wanted.items():
        if not path.is_file():
            raise SystemExit(f"{spec}: {path.relative_to(package)} is not in the package (for {destination})")
        strip_source_map(path)
    return wanted


def main(argv):
    record = "--record" in argv
    manifest = json.loads(MANIFEST.read_text())
    with tempfile.TemporaryDirectory(prefix="hindsight-vendor-") as tmp:
        fetched = {}
        for asset in manifest["assets"]:
            print(f"fetching {asset['name']}@{asset['version']}")
            workdir = Path(tmp) / asset["name"].replace("/", "_")
            workdir.mkdir()
            fetched.update(fetch(asset, workdir))
        problems = [
            f"{destination} references {name}, which is not vendored"
            for destination, path in fetched.items()
            for name in references_to_missing_files(path, {Path(d).name for d in fetched})
        ]
        for asset in manifest["assets"]:
            for destination, expected in asset.get("sha256", {}).items():
                actual = sha256(fetched[destination])
                if record:
                    asset["sha256"][destination] = actual
                elif actual != expected:
                    problems.append(f"{destination}: expected sha256 {expected}, the package has {actual}")
        if problems:
            raise SystemExit(
                "Nothing was written; the fetched files do not match the manifest:\n" + "\n".join(problems)
            )
        for destination, source in fetched.items():
            target = VENDOR / destination
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            print(f"  {destination}  {sha256(target)}")
    if record:
        lines = ",\n".join("    " + json.dumps(asset, ensure_ascii=False) for asset in manifest["assets"])
        MANIFEST.write_text(
            "{\n" + f'  "_comment": {json.dumps(manifest["_comment"])},\n  "assets": [\n{lines}\n  ]\n}}\n'
        )
        print("recorded the new hashes in", MANIFEST.relative_to(VENDOR.parent.parent))
    print("vendored assets match the manifest")


if __name__ == "__main__":
    main(sys.argv[1:])
