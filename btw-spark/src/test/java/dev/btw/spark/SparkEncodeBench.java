package dev.btw.spark;

import dev.btw.app.encode.ManifestEncoding;
import dev.btw.core.config.BtwConfig;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark (not a test): encodes one generated manifest (N rows: a 28x28 PNG for the TorchScript digit encoder
 * and two tabular columns, seed 5) locally ({@link ManifestEncoding}, one worker per core) and on Spark
 * {@code local[2]}, twice each into fresh stores, and prints one JSON line with the second run's seconds and their
 * ratio. Arguments: the models folder, a scratch folder, and N (default 3000). See docs/PERFORMANCE.md.
 */
public final class SparkEncodeBench {

    private SparkEncodeBench() {}

    /**
     * @param args models folder, scratch folder, optional row count
     * @throws IOException when the scratch folder cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path models = Path.of(args[0]).toAbsolutePath();
        Path dir = Path.of(args[1]).toAbsolutePath();
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        Files.createDirectories(dir);
        Random r = new Random(5);
        List<String> rows = new ArrayList<>();
        rows.add("id,split,label,image,age,bmi");
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(2 + r.nextInt(2)));
            for (int k = 0; k < 3; k++) {
                g.drawLine(4 + r.nextInt(20), 4 + r.nextInt(20), 4 + r.nextInt(20), 4 + r.nextInt(20));
            }
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("d" + i + ".png").toFile());
            rows.add(String.join(
                    ",",
                    "d" + i,
                    i % 10 < 8 ? "train" : "val",
                    Integer.toString(i % 2),
                    "d" + i + ".png",
                    Integer.toString(20 + r.nextInt(60)),
                    String.format("%.3f", 18 + 15 * r.nextDouble())));
        }
        Files.write(dir.resolve("manifest.csv"), rows);
        Path config = dir.resolve("config.yaml");
        Files.writeString(
                config,
                "task: classification\n"
                        + "data: { manifest: manifest.csv, label: label }\n"
                        + "modalities:\n"
                        + "  digit: { encoder: "
                        + models.resolve("mnist-cnn").toString().replace("\\", "/")
                        + ", column: image }\n"
                        + "  body: { encoder: columns, columns: [age, bmi] }\n"
                        + "encode: { batch: 32, store: features }\n");
        long t = System.nanoTime();
        SparkSession spark = SparkSession.builder()
                .appName("btw-bench")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        double startup = (System.nanoTime() - t) / 1e9;
        double local = 0;
        double onSpark = 0;
        for (int run = 0; run < 2; run++) {
            t = System.nanoTime();
            ManifestEncoding.builder()
                    .setConfig(BtwConfig.load(config, List.of()))
                    .optStore(dir.resolve("local-" + run))
                    .build()
                    .run();
            local = (System.nanoTime() - t) / 1e9;
            t = System.nanoTime();
            SparkEncoding.builder()
                    .setConfig(config)
                    .optStore(dir.resolve("spark-" + run))
                    .build()
                    .run(spark);
            onSpark = (System.nanoTime() - t) / 1e9;
        }
        spark.stop();
        System.out.printf(
                "{\"rows\": %d, \"local_s\": %.2f, \"spark_local2_s\": %.2f, \"ratio\": %.2f,"
                        + " \"session_start_s\": %.2f}%n",
                n, local, onSpark, onSpark / local, startup);
    }
}
