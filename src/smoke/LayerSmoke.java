import java.io.File;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The Java layer's smoke test, run in the Lambda runtime image with the layer's jars on the class path
 * (java -cp /lambda-layer-release:/opt/java/lib/* LayerSmoke ARG...). Each ARG is a jar under
 * /opt/java/lib, which is opened, read to the end (checking every entry's CRC and signature) and one of
 * whose classes is loaded, or a class name, which is loaded. One LLR-SMOKE JSON line per ARG.
 *
 * Compiled with --release 8 so that one class file runs on every Lambda Java runtime (java8.al2 has no
 * source launcher, and a JRE no compiler): scripts/java-smoke-class.sh turns it into
 * src/smoke/java-smoke-class.ts.
 */
public final class LayerSmoke {
  private static final File LIB = new File("/opt/java/lib");

  public static void main(String[] args) {
    ClassLoader loader = LayerSmoke.class.getClassLoader();
    for (String arg : args) {
      long start = System.nanoTime();
      StringBuilder json = new StringBuilder("{\"module\":").append(quote(arg));
      try {
        String loaded = arg.endsWith(".jar") ? checkJar(new File(LIB, arg), loader) : load(arg, loader);
        json.append(",\"ok\":true,\"detail\":").append(quote(loaded));
      } catch (Throwable error) {
        json.append(",\"ok\":false,\"error\":").append(quote(error.getClass().getName() + ": " + error.getMessage()));
      }
      long tenths = (System.nanoTime() - start) / 100000;
      json.append(",\"ms\":").append(tenths / 10).append('.').append(tenths % 10).append('}');
      System.out.println("LLR-SMOKE " + json);
      System.out.flush();
    }
  }

  /**
   * Loads one class without running its static initializers (they may expect a Lambda environment), and
   * resolves the types of its members' signatures, so a missing dependency fails here, not at run time.
   */
  private static String load(String name, ClassLoader loader) throws ClassNotFoundException {
    Class<?> loaded = Class.forName(name, false, loader);
    loaded.getDeclaredFields();
    loaded.getDeclaredConstructors();
    loaded.getDeclaredMethods();
    return name;
  }

  private static String checkJar(File file, ClassLoader loader) throws Exception {
    if (!file.isFile()) throw new java.io.FileNotFoundException(file + " is not in the layer");
    String first = null;
    byte[] buffer = new byte[65536];
    JarFile jar = new JarFile(file, true);
    try {
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        InputStream in = jar.getInputStream(entry);
        try {
          while (in.read(buffer) != -1) {
            // Reading to the end is what checks the CRC and, for signed jars, the signature.
          }
        } finally {
          in.close();
        }
        String name = entry.getName();
        if (first == null && isPlainClass(name)) first = name;
      }
    } finally {
      jar.close();
    }
    if (first == null) return "no classes";
    return load(first.substring(0, first.length() - ".class".length()).replace('/', '.'), loader);
  }

  /** A top-level class of the jar itself: not module-info, package-info, an inner or a versioned class. */
  private static boolean isPlainClass(String name) {
    return name.endsWith(".class")
        && !name.startsWith("META-INF/")
        && name.indexOf('$') < 0
        && !name.endsWith("module-info.class")
        && !name.endsWith("package-info.class");
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }
}
