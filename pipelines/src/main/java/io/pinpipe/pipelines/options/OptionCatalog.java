package io.pinpipe.pipelines.options;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Every option a job accepts, as Beam will: the properties (a getter with its setter) of the job's
 * options interface and of every options interface registered with Beam (the runners', AWS's, Beam's
 * own). The command line is checked against this before Beam sees it, so that a mistake is named in
 * the user's words, and the help is built from its descriptions and defaults.
 */
public final class OptionCatalog {
  /** One option: its name, its getter (type, annotations) and whether the job itself declares it. */
  public static final class Option {
    private final String name;
    private final Method getter;
    private final boolean jobs;

    Option(String name, Method getter, boolean jobs) {
      this.name = name;
      this.getter = getter;
      this.jobs = jobs;
    }

    public String name() {
      return name;
    }

    public Class<?> type() {
      return getter.getReturnType();
    }

    /** The interface that declares it, for grouping. */
    public Class<?> declaredIn() {
      return getter.getDeclaringClass();
    }

    /** True for an option of the job's own options interfaces (not a runner's or Beam's). */
    public boolean isJobs() {
      return jobs;
    }

    public boolean isYesNo() {
      return type() == boolean.class || type() == Boolean.class;
    }

    /** List and array options may be given more than once (Beam appends the values). */
    public boolean isRepeatable() {
      return Collection.class.isAssignableFrom(type()) || type().isArray();
    }

    public boolean isHidden() {
      return getter.isAnnotationPresent(Hidden.class) || getter.getDeclaringClass().isAnnotationPresent(Hidden.class);
    }

    /** Required without a default, outside any "one of" group. */
    public boolean isRequired() {
      Validation.Required required = getter.getAnnotation(Validation.Required.class);
      return required != null && required.groups().length == 0 && defaultText().isEmpty();
    }

    public String description() {
      Description d = getter.getAnnotation(Description.class);
      return d == null ? "" : d.value().strip();
    }

    /** The default as the help shows it, from the {@code @Default} annotation; none if it has none. */
    public Optional<String> defaultText() {
      Default.String s = getter.getAnnotation(Default.String.class);
      if (s != null) {
        return Optional.of(s.value());
      }
      Default.Integer i = getter.getAnnotation(Default.Integer.class);
      if (i != null) {
        return Optional.of(Integer.toString(i.value()));
      }
      Default.Long l = getter.getAnnotation(Default.Long.class);
      if (l != null) {
        return Optional.of(Long.toString(l.value()));
      }
      Default.Boolean b = getter.getAnnotation(Default.Boolean.class);
      if (b != null) {
        return Optional.of(Boolean.toString(b.value()));
      }
      Default.Double d = getter.getAnnotation(Default.Double.class);
      if (d != null) {
        return Optional.of(Double.toString(d.value()));
      }
      Default.Enum e = getter.getAnnotation(Default.Enum.class);
      if (e != null) {
        return Optional.of(e.value());
      }
      Default.Class c = getter.getAnnotation(Default.Class.class);
      if (c != null) {
        return Optional.of(c.value().getSimpleName());
      }
      return type() == boolean.class ? Optional.of("false") : Optional.empty();
    }
  }

  private final Map<String, Option> options;

  private OptionCatalog(Map<String, Option> options) {
    this.options = options;
  }

  /** The options a job with options interface {@code job} accepts. */
  public static OptionCatalog of(Class<? extends PipelineOptions> job) {
    PipelineOptionsFactory.register(job);
    Set<Class<?>> own = new LinkedHashSet<>();
    closure(job, own);
    Set<Class<?>> all = new LinkedHashSet<>(own);
    for (Class<? extends PipelineOptions> registered : PipelineOptionsFactory.getRegisteredOptions()) {
      closure(registered, all);
    }
    Map<String, Option> options = new LinkedHashMap<>();
    for (Class<?> iface : all) {
      if (isOurs(iface) && !own.contains(iface)) {
        continue; // another job's options, registered earlier in this JVM (tests): not this job's
      }
      for (Method getter : iface.getDeclaredMethods()) {
        propertyName(getter)
            .filter(name -> hasSetter(iface, getter, name))
            .ifPresent(name -> options.putIfAbsent(name, new Option(name, getter, own.contains(iface) && isOurs(iface))));
      }
    }
    return new OptionCatalog(options);
  }

  public Optional<Option> find(String name) {
    return Optional.ofNullable(options.get(name));
  }

  public Collection<Option> all() {
    return options.values();
  }

  public Set<String> names() {
    return options.keySet();
  }

  /** The project's own interfaces, as opposed to Beam's and the runners'. */
  static boolean isOurs(Class<?> iface) {
    return iface.getName().startsWith("io.pinpipe.");
  }

  private static void closure(Class<?> iface, Set<Class<?>> into) {
    if (into.add(iface)) {
      for (Class<?> parent : iface.getInterfaces()) {
        if (PipelineOptions.class.isAssignableFrom(parent)) {
          closure(parent, into);
        }
      }
    }
  }

  private static Optional<String> propertyName(Method m) {
    if (m.getParameterCount() != 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
      return Optional.empty();
    }
    String n = m.getName();
    if (n.startsWith("get") && n.length() > 3) {
      return Optional.of(Introspector.decapitalize(n.substring(3)));
    }
    if (n.startsWith("is") && n.length() > 2 && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
      return Optional.of(Introspector.decapitalize(n.substring(2)));
    }
    return Optional.empty();
  }

  private static boolean hasSetter(Class<?> iface, Method getter, String name) {
    String suffix = getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
    try {
      iface.getMethod("set" + suffix, getter.getReturnType());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
