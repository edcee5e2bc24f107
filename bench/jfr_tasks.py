"""CPU samples of `jfr print --events jdk.ExecutionSample` (stdin) by thread, Flink's task threads
named by their chained operators, with each task's top frames (self time) and the share of
samples under a few frames (inclusive): what bench/profile-streaming.sh prints."""
import collections
import re
import sys

INCLUSIVE = [
    "ProcessBucketFn.process", "PackParquetFiles", "JsonRecordParser.parse", "ReduceFnRunner.processElements",
    "AssembleFn.process", "TimerInternalsTimer.set", "FlinkStateInternals.state",
    "CoderTypeSerializer.copy", "KafkaUnboundedReader.advance", "PackRecordsFn",
    "SchemaCoder.", "RowCoder", "RowNumbers.of", "ReadAndPackFn.process", "AsReadPacker.add",
]

threads = collections.Counter()
top = collections.defaultdict(collections.Counter)
under = collections.Counter()
total = 0
thread, frames = None, []


def flush():
    global total
    if thread is None:
        return
    name = re.sub(r"\s*\(\d+/\d+\)#\d+.*", "", thread).replace(" -> ", " > ")
    name = name if len(name) < 110 else name[:107] + "..."
    threads[name] += 1
    total += 1
    if frames:
        top[name][frames[0]] += 1
    for pattern in INCLUSIVE:
        if any(pattern in f for f in frames):
            under[pattern] += 1


for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        flush()
        thread, frames = None, []
        continue
    m = re.match(r'\s*sampledThread = "(.*)" \(', line)
    if m:
        thread = m.group(1)
    m = re.match(r"\s+([\w$.<>]+)\(.*line:", line)
    if m and thread is not None:
        frames.append(m.group(1))
flush()
if not total:
    sys.exit("no CPU samples")
print(f"{total} CPU samples")
for name, n in threads.most_common(12):
    print(f"{100 * n / total:5.1f}%  {name}")
    for frame, c in top[name].most_common(3):
        print(f"          self {100 * c / total:4.1f}%  {frame}")
print("samples under (inclusive, all threads):")
for pattern in INCLUSIVE:
    print(f"{100 * under[pattern] / total:5.1f}%  {pattern}")
