package dev.btw.data;

import dev.btw.core.BtwException;

/**
 * How to build a recipe.
 *
 * @param n the number of instances, or 0 for the recipe's default (full or quick)
 * @param quick whether to build the small subset used by {@code btw demo --quick} and tests
 * @param seed the seed every random choice derives from; equal seeds give byte-identical results
 */
public record RecipeOptions(int n, boolean quick, long seed) {

    /** The default seed. */
    public static final long DEFAULT_SEED = 1111;

    /** Checks the fields. */
    public RecipeOptions {
        if (n < 0) {
            throw new BtwException("the number of instances must not be negative (0: the recipe's default); got " + n);
        }
    }

    /** @return the full-size build with the default seed */
    public static RecipeOptions defaults() {
        return new RecipeOptions(0, false, DEFAULT_SEED);
    }

    /** @return the quick build with the default seed */
    public static RecipeOptions quickBuild() {
        return new RecipeOptions(0, true, DEFAULT_SEED);
    }

    /**
     * @param recipe the recipe being built
     * @return the number of instances to build
     */
    public int size(DataRecipe recipe) {
        return n > 0 ? n : quick ? recipe.quickSize() : recipe.defaultSize();
    }

    /**
     * The output folder's name under {@code $BTW_HOME/data/}: the recipe's name for the full build with the
     * default seed, {@code NAME-quick} for the quick one, {@code NAME-nN-sS} otherwise, so that builds of different sizes or
     * seeds live side by side.
     *
     * @param recipe the recipe being built
     * @return the folder name
     */
    public String folderName(DataRecipe recipe) {
        int size = size(recipe);
        if (seed == DEFAULT_SEED && size == recipe.defaultSize()) {
            return recipe.name();
        }
        if (seed == DEFAULT_SEED && size == recipe.quickSize()) {
            return recipe.name() + "-quick";
        }
        return recipe.name() + "-n" + size + "-s" + seed;
    }
}
