package io.pinpipe.transforms.onepass;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The packs a step is filling within one bundle, per window and key, within {@link PackLimits}: a
 * full pack is handed back at once, and all of them once they hold too many bytes together or the
 * bundle finishes. A pack keeps its records' window and carries the window's end as its timestamp,
 * so it reaches a grouping on time, or late within the allowed lateness, exactly when its records
 * would have (a runner commits a bundle's output before the watermark passes it).
 */
final class OpenPacks<K, P> {
  /** What a pack must tell about itself. */
  interface Sized {
    int size();

    long bytes();
  }

  /** Receives packs to emit. */
  interface Emit<K, P> {
    void emit(BoundedWindow window, K key, P pack);
  }

  private final PackLimits limits;
  private final Supplier<P> empty;
  private final Map<BoundedWindow, Map<K, P>> open = new HashMap<>();
  private final Map<BoundedWindow, Long> openBytes = new HashMap<>();

  OpenPacks(PackLimits limits, Supplier<P> empty) {
    this.limits = limits;
    this.empty = empty;
  }

  /** The open pack of {@code key} in {@code window}; call {@link #added} after adding to it. */
  P pack(BoundedWindow window, K key) {
    return open.computeIfAbsent(window, w -> new HashMap<>()).computeIfAbsent(key, k -> empty.get());
  }

  /**
   * Adds to the open pack of {@code key} in {@code window} with {@code add}, then emits what is
   * full ({@link #added}).
   */
  void add(BoundedWindow window, K key, java.util.function.Consumer<P> add, Emit<K, P> emit) {
    P pack = pack(window, key);
    long before = ((Sized) pack).bytes();
    add.accept(pack);
    added(window, key, pack, ((Sized) pack).bytes() - before, emit);
  }

  /**
   * Records that {@code bytes} were added to {@code pack}; emits it if it is full, and every pack of
   * its window if that window's open packs hold too many bytes together. (The bound is per window
   * because a step processing an element can only emit into that element's window; a bundle spans
   * few windows.)
   */
  void added(BoundedWindow window, K key, P pack, long bytes, Emit<K, P> emit) {
    long windowBytes = openBytes.merge(window, bytes, Long::sum);
    Sized sized = (Sized) pack;
    if (limits.full(sized.size(), sized.bytes())) {
      open.get(window).remove(key);
      openBytes.put(window, windowBytes - sized.bytes());
      emit.emit(window, key, pack);
    } else if (windowBytes >= limits.maxOpenBytes()) {
      open.remove(window).forEach((k, p) -> emit.emit(window, k, p));
      openBytes.remove(window);
    }
  }

  /** Emits every open pack. */
  void flush(Emit<K, P> emit) {
    for (Map.Entry<BoundedWindow, Map<K, P>> window : open.entrySet()) {
      for (Iterator<Map.Entry<K, P>> it = window.getValue().entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<K, P> pack = it.next();
        emit.emit(window.getKey(), pack.getKey(), pack.getValue());
        it.remove();
      }
    }
    open.clear();
    openBytes.clear();
  }

  /** Emits every open pack from a bundle's end, to {@code tag}, keyed. */
  void flushTo(DoFn<?, ?>.FinishBundleContext context, TupleTag<KV<K, P>> tag) {
    flush((window, key, pack) -> context.output(tag, KV.of(key, pack), window.maxTimestamp(), window));
  }
}
