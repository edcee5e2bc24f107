"""Where a JFR recording's CPU samples go, by stage: reads `jfr print --events jdk.ExecutionSample`
from stdin and attributes each sample to the first category whose pattern appears anywhere in its
stack (categories are checked in the order below, so e.g. coder work inside a Flink shuffle counts
as coders). Prints percentages of all samples; used by bench/profile.sh."""
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
    ("cleaning rules (ours)", ["ApplyRulesFn"]),
    ("duplicate removal (ours)", ["DropExactDuplicatesFn"]),
    ("joins (ours)", ["InnerJoinOnInd"]),
    ("queries (ours)", ["io.pinpipe.transforms.queries"]),
]

FRAME = re.compile(r"\s+([\w$.<>/]+)\(.*line:")


def main():
    counts = collections.Counter()
    total = 0
    stack = []

    def flush():
        nonlocal total
        if not stack:
            return
        total += 1
        frames = " ".join(stack)
        for name, patterns in CATEGORIES:
            if any(p in frames for p in patterns):
                counts[name] += 1
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


if __name__ == "__main__":
    main()
