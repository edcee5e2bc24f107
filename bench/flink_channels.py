"""Elements FlinkRunner wrote to channels (serialized with their Beam coders), from a Flink job's
REST metrics (`/jobs/<id>`) and plan (`/jobs/<id>/plan`); used by bench/flink-channels.sh.

Prints the totals per event and the vertices that wrote the most bytes, each with the number of
vertices that consume its output: an output with two consumers is serialized once per consumer,
and the bytes count every copy."""
import collections
import html
import json
import re
import sys


def step(description):
    """The Beam step names in a vertex's description, without Flink's operator prefixes."""
    names = re.findall(r" at ([^)]*?)(?:\)|$)", html.unescape(description).replace("<br/>", "\n"))
    return [n for n in names if not n.startswith("translateNode(")]


def main():
    job = json.load(open(sys.argv[1]))
    plan = {n["id"]: n for n in json.load(open(sys.argv[2]))["plan"]["nodes"]}
    events = float(sys.argv[3])
    consumers = collections.Counter(i["id"] for n in plan.values() for i in n.get("inputs", []))
    vertices = job["vertices"]
    records = sum(v["metrics"].get("write-records", 0) for v in vertices)
    written = sum(v["metrics"].get("write-bytes", 0) for v in vertices)
    forked = sum(v["metrics"].get("write-bytes", 0) for v in vertices if consumers[v["id"]] > 1)
    print(f"{len(vertices)} vertices (operators chained into one task count once), "
          f"{sum(1 for v in vertices if consumers[v['id']] > 1)} of them with more than one consumer; "
          f"job state at the last poll: {job['state']}")
    print(f"written to channels: {written / 1e6:,.0f} MB, {written / events:,.0f} bytes per event "
          f"(Flink's numRecordsOut: {records / events:.1f} records per event); "
          f"{100 * forked / max(written, 1):.0f}% of the bytes by vertices with more than one consumer")
    print()
    print("| MB written | bytes per event | consumers | vertex (first and last Beam step) |")
    print("|---:|---:|---:|---|")
    for v in sorted(vertices, key=lambda v: -v["metrics"].get("write-bytes", 0))[:15]:
        m = v["metrics"]
        steps = step(plan[v["id"]]["description"]) or [v["name"][:60]]
        name = steps[0] if len(steps) == 1 else f"{steps[0]} … {steps[-1]}"
        print(f"| {m.get('write-bytes', 0) / 1e6:,.0f} | {m.get('write-bytes', 0) / events:,.0f} | "
              f"{consumers[v['id']]} | {name} |")


if __name__ == "__main__":
    main()
