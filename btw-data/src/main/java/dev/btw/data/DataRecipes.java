package dev.btw.data;

import dev.btw.core.BtwException;
import dev.btw.core.io.BtwHome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of data recipes, by name, in the order {@code btw data --list} shows them. */
public final class DataRecipes {

    /** One NOTICE line per data set: sources, versions and licences, for the README and NOTICE files. */
    public static final String NOTICE = String.join(
            "\n",
            AvMnistRecipe.LICENCE,
            DiabetesRecipe.LICENCE,
            ParkinsonsRecipe.LICENCE,
            SentimentRecipe.LICENCE,
            VideoMnistRecipe.LICENCE);

    private static final Map<String, DataRecipe> ALL = new LinkedHashMap<>();

    static {
        for (DataRecipe r : List.<DataRecipe>of(
                new AvMnistRecipe(),
                new DiabetesRecipe(),
                new ParkinsonsRecipe(),
                new SentimentRecipe(),
                new VideoMnistRecipe())) {
            ALL.put(r.name(), r);
        }
    }

    private DataRecipes() {}

    /** @return every recipe, by name */
    public static Map<String, DataRecipe> all() {
        return Collections.unmodifiableMap(ALL);
    }

    /** @return the recipe names */
    public static List<String> names() {
        return new ArrayList<>(ALL.keySet());
    }

    /**
     * @param name a recipe name
     * @return the recipe
     * @throws BtwException when no recipe has that name (listing those that exist)
     */
    public static DataRecipe get(String name) {
        DataRecipe r = ALL.get(name);
        if (r == null) {
            throw new BtwException(
                    "no data recipe named '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return r;
    }

    /**
     * The cache root: {@code $BTW_HOME}, else the system property {@code btw.home}, else {@code ~/.cache/btw} (as
     * the encoder cache resolves it).
     *
     * @return the folder
     */
    public static Path home() {
        return BtwHome.get();
    }
}
