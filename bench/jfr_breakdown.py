"""Where a JFR recording's CPU samples go, by stage: reads `jfr print --events jdk.ExecutionSample`
from stdin and attributes each sample to the first category whose pattern appears anywhere in its
stack (categories are checked in the order below, so e.g. coder work inside a Flink shuffle counts
as coders). Prints percentages of all samples, then splits the coder samples by why the runner
needed the bytes (the innermost matching frame below the coder wins); used by bench/profile.sh."""
import collections
import re
import sys

CATEGORIES = [
    ("Row.Builder value verification", ["RowUtils", "FieldAccessDescriptor", "Row$Builder.build"]),
    ("Parquet/Avro writing", ["org.apache.parquet", "org.apache.avro", "ParquetIO"]),
    ("JSON (Jackson)", ["com.fasterxml.jackson"]),
    ("coders (encode/decode for shuffles and copies)",
     ["org.apache.beam.sdk.coders", "RowCoderGenerator", "WindowedValue$FullWindowedValueCoder",
      "SchemaCoder", "CoderTypeSerializer", "DataOutputViewWrapper", "DataInputViewWrapper"]),
    ("runner sort/shuffle", ["org.apache.flink.runtime.operators.sort", "org.apache.flink.runtime.io.network",
                             "org.apache.spark.shuffle", "org.apache.spark.util.collection"]),
    ("pipeline construction, options", ["PipelineOptionsFactory", "BatchPipeline.build", "FlinkPipelineTranslator",
                                        "Pipeline.apply", "CommandLine.parseOptions"]),
    ("reading files", ["ReadArchive", "TextIO", "FileIO"]),
    ("parse (ours, besides Jackson)", ["JsonRecordParser"]),
    ("cleaning rules (ours)", ["io.pinpipe.transforms.clean."]),
    ("duplicate removal (ours)", ["ProcessBucketFn.contentOf", "ProcessBucketFn.preferred"]),
    ("joins and queries (ours)", ["io.pinpipe.transforms.queries", "io.pinpipe.transforms.aggregate",
                                  "io.pinpipe.transforms.results", "io.pinpipe.transforms.join"]),
    ("packing records and rows (ours)", ["PackRecordsFn", "RecordPack", "PackedRows", "OpenPacks", "UnpackRowsFn"]),
    ("the rest of the per-bucket step (ours)", ["ProcessBucketFn", "io.pinpipe.transforms.onepass"]),
]

CODERS = CATEGORIES[3][0]

# Why a coder ran, from the Flink or Spark frame nearest to it on the stack. In Flink's batch (DataSet)
# engine an operator is chained to the next only when its output has exactly one consumer;
# otherwise every consumer gets its own channel and each element is serialized once per consumer.
CODER_CONTEXTS = [
    ("written to an operator's output channel (once per consumer)", ["RecordWriter", "SerializationDelegate.write",
                                                                    "OutputCollector.collect"]),
    ("read back from a channel", ["RecordDeserializer", "NonSpanningWrapper", "SpanningWrapper",
                                  "ReaderIterator", "DeserializationDelegate"]),
    ("written to or read from a sort buffer (group, combine)", ["runtime.operators.sort", "NormalizedKeySorter",
                                                                "CombiningUnilateralSortMerger", "GroupReduceCombineDriver",
                                                                "ReusingKeyGroupedIterator", "NonReusingKeyGroupedIterator"]),
    ("a copy between chained operators", ["CoderTypeSerializer.copy"]),
    ("Spark shuffle or cache", ["org.apache.spark"]),
]

FRAME = re.compile(r"\s+([\w$.<>/]+)\(.*line:")


def main():
    counts = collections.Counter()
    contexts = collections.Counter()
    total = 0
    stack = []

    def coder_context(frames):
        # frames run from the leaf (the coder) towards main: the first context found is the nearest
        for frame in frames:
            for name, patterns in CODER_CONTEXTS:
                if any(p in frame for p in patterns):
                    return name
        return "other"

    def flush():
        nonlocal total
        if not stack:
            return
        total += 1
        frames = " ".join(stack)
        for name, patterns in CATEGORIES:
            if any(p in frames for p in patterns):
                counts[name] += 1
                if name == CODERS:
                    contexts[coder_context(stack)] += 1
                return
        counts["other (runner, JDK, GC-free allocation...)"] += 1

    for line in sys.stdin:
        if line.startswith("jdk.ExecutionSample"):
            flush()
            stack = []
            continue
        match = FRAME.match(line)
        if match:
            stack.append(match.group(1))
    flush()
    print(f"{total} CPU samples")
    print("| share | where |")
    print("|---:|---|")
    for name, _ in CATEGORIES + [("other (runner, JDK, GC-free allocation...)", None)]:
        print(f"| {100 * counts[name] / max(total, 1):.1f}% | {name} |")
    print()
    print(f"{counts[CODERS]} coder samples, by why the runner needed the bytes")
    print("| share of coder samples | share of all | why |")
    print("|---:|---:|---|")
    for name, _ in CODER_CONTEXTS + [("other", None)]:
        print(f"| {100 * contexts[name] / max(counts[CODERS], 1):.1f}% | {100 * contexts[name] / max(total, 1):.1f}% | {name} |")


if __name__ == "__main__":
    main()
