#!/usr/bin/env python3
"""What each dependency contributes to a shaded jar of the pipelines module.

    bench/jar-contributors.py [JAR] [--min-mb=10]

JAR defaults to pipelines/target/pinterest-pipelines.jar (build it first: mvn -q -B -DskipTests
package). The dependencies are the module's runtime class path, in Maven's order, from
`mvn dependency:list`. Every entry of the jar is counted for the first dependency that holds an
entry of the same name with the same CRC, else of the same name (a class the Spark jar's Guava
relocation rewrote); the rest is the relocated Guava (io/pinpipe/shaded), the project's own classes
and merged files (service lists, licences). Sizes are summed uncompressed and compressed as stored in the jar.
The README's "What the job jars hold" was measured this way.
"""
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def runtime_dependencies():
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as out:
        listing = out.name
    maven = subprocess.run(
        ["mvn", "-q", "-B", "-o", "-Dstyle.color=never", "dependency:list", "-pl", "pipelines", "-DincludeScope=runtime",
         "-DoutputAbsoluteArtifactFilename=true", "-DoutputFile=" + listing],
        cwd=ROOT, capture_output=True, text=True)
    if maven.returncode != 0:
        sys.exit("jar-contributors: mvn dependency:list failed:\n" + maven.stdout + maven.stderr)
    deps = []
    with open(listing) as lines:
        for line in lines:
            m = re.match(r"\s*([^:]+):([^:]+):([^:]+):(?:([^:]+):)?([^:]+):([^:]+):(/.*)$", line.strip())
            if m:
                group, artifact, _, classifier, version, _, path = m.groups()
                name = f"{group}:{artifact}:{version}" + (f":{classifier}" if classifier else "")
                deps.append((name, path))
    os.unlink(listing)
    return deps


def main(argv):
    jar = os.path.join(ROOT, "pipelines/target/pinterest-pipelines.jar")
    min_mb = 10.0
    for arg in argv:
        if arg.startswith("--min-mb="):
            min_mb = float(arg.split("=", 1)[1])
        else:
            jar = arg
    owner, by_name = {}, {}
    for name, path in runtime_dependencies():
        if os.path.isfile(path):
            for entry in zipfile.ZipFile(path).infolist():
                owner.setdefault((entry.filename, entry.CRC), name)
                by_name.setdefault(entry.filename, name)
    uncompressed, compressed = Counter(), Counter()
    shaded = zipfile.ZipFile(jar)
    for entry in shaded.infolist():
        if entry.is_dir():
            continue
        # Byte for byte; else by name (a class the Spark jar's relocation rewrote); else relocated
        # Guava, or the project's own classes and merged files.
        name = owner.get((entry.filename, entry.CRC)) or by_name.get(entry.filename)
        if name is None:
            name = ("com.google.guava:guava, relocated" if entry.filename.startswith("io/pinpipe/shaded/")
                    else "(the project's own classes, merged files)")
        uncompressed[name] += entry.file_size
        compressed[name] += entry.compress_size
    print(f"{jar}: {os.path.getsize(jar) / 1e6:.1f} MB on disk; entries "
          f"{sum(uncompressed.values()) / 1e6:.1f} MB uncompressed, {sum(compressed.values()) / 1e6:.1f} MB compressed")
    print(f"{'uncompressed':>13} {'compressed':>11}  dependency (at least {min_mb:g} MB uncompressed)")
    for name, size in uncompressed.most_common():
        if size >= min_mb * 1e6:
            print(f"{size / 1e6:10.1f} MB {compressed[name] / 1e6:8.1f} MB  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
