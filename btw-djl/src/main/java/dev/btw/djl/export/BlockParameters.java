package dev.btw.djl.export;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Arrays;

/** Reads a trained block's parameters by path (child block names, then the parameter name) as float arrays. */
final class BlockParameters {

    private final Block root;

    BlockParameters(Block root) {
        this.root = root;
    }

    /** DJL keys children as a two-digit position followed by the name given to {@code addChildBlock}. */
    private static Block child(Block parent, String name) {
        for (Pair<String, Block> c : parent.getChildren()) {
            String key = c.getKey();
            if (key.equals(name)
                    || (key.length() > 2
                            && key.substring(2).equals(name)
                            && Character.isDigit(key.charAt(0))
                            && Character.isDigit(key.charAt(1)))) {
                return c.getValue();
            }
        }
        return null;
    }

    /**
     * @param path child names from the root, then the parameter's name
     * @return the parameter's values, row-major
     */
    float[] get(String... path) {
        Block block = root;
        for (int i = 0; i < path.length - 1; i++) {
            Block child = child(block, path[i]);
            if (child == null) {
                throw new IllegalStateException(
                        "no child block '" + path[i] + "' on the way to " + Arrays.toString(path));
            }
            block = child;
        }
        Parameter p = block.getDirectParameters().get(path[path.length - 1]);
        if (p == null || !p.isInitialized()) {
            throw new IllegalStateException("no initialised parameter " + Arrays.toString(path));
        }
        return p.getArray().toFloatArray();
    }
}
