package dev.btw.spark;

import dev.btw.app.store.EncodeResult;
import dev.btw.core.BtwException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: {@code SparkEncode --config C [--store S] [--batch N] [--master M]}.
 * Prints one line per modality. Exit status 2 on bad input (config, manifest, cells), 1 on other failures.
 */
public final class SparkEncode {

    static final String USAGE = "usage: SparkEncode --config FILE [--store DIR] [--batch N] [--master URL]\n"
            + "  --config FILE  the btw run config (its manifest, data and encoder files on shared storage)\n"
            + "  --store DIR    the feature store, on shared storage (default: the config's encode.store)\n"
            + "  --batch N      instances per encoder call (default: the config's encode.batch)\n"
            + "  --master URL   the Spark master (default: what spark-submit sets)\n";

    private SparkEncode() {}

    /**
     * @param args the arguments (see the class comment)
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs with the given arguments; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        SparkEncoding.Builder b = SparkEncoding.builder();
        String master = null;
        boolean config = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    out.print(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new BtwException("option " + a + " needs a value\n" + USAGE);
                }
                String v = args[++i];
                switch (a) {
                    case "--config" -> {
                        b.setConfig(Path.of(v));
                        config = true;
                    }
                    case "--store" -> b.optStore(Path.of(v));
                    case "--batch" -> b.optBatch(positive(v));
                    case "--master" -> master = v;
                    default -> throw new BtwException("unknown option " + a + "\n" + USAGE);
                }
            }
            if (!config) {
                throw new BtwException("--config is required\n" + USAGE);
            }
            SparkSession.Builder sb = SparkSession.builder().appName("btw-encode");
            if (master != null) {
                sb.master(master);
            }
            SparkSession spark = sb.getOrCreate();
            try {
                List<EncodeResult> results = b.build().run(spark);
                for (EncodeResult r : results) {
                    out.printf(
                            "%s: %s, %d encoded, %d reused, %d missing, %.1f s%n",
                            r.modality(), r.encoder(), r.encoded(), r.reused(), r.missing(), r.seconds());
                }
            } finally {
                spark.stop();
            }
            return 0;
        } catch (BtwException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            // an executor's bad-input error reaches the driver wrapped in Spark's job failure (a checked
            // SparkException, thrown through Scala code)
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof BtwException) {
                    err.println("error: " + c.getMessage());
                    return 2;
                }
            }
            err.println("error: " + e);
            return 1;
        }
    }

    private static int positive(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BtwException("--batch must be a positive integer, got " + v);
    }
}
