package dev.btw.core.io;

import dev.btw.core.BtwException;
import java.nio.file.Path;

/**
 * The one rule for names that become file or folder names (modalities, methods, encoders): not empty, no path
 * separator ({@code /} or {@code \}), not {@code .} or {@code ..}, no control character. A name that passes
 * resolves to a direct child of the folder it belongs to, so nothing is ever created outside that folder.
 */
public final class PathNames {

    private PathNames() {}

    /**
     * @param kind what the name names, for the message ("modality", "method", "encoder")
     * @param name the name
     * @return the name
     * @throws BtwException naming the kind, the name and the rule when it breaks it
     */
    public static String check(String kind, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new BtwException(kind + " name '" + printable(name) + "' cannot be used as a file name: " + problem
                    + " (names may not be empty, '.' or '..', nor hold '/', '\\' or control characters)");
        }
        return name;
    }

    /**
     * @param name a name
     * @return what is wrong with it as a file name, or null when it is fine
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' names a folder itself or its parent";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "it holds the path separator '" + c + "'";
            }
            if (Character.isISOControl(c)) {
                return "it holds the control character U+" + String.format("%04X", (int) c);
            }
        }
        return null;
    }

    /**
     * @param folder a folder
     * @param kind what the name names
     * @param name a name checked by {@link #check}
     * @return {@code folder/name}, a direct child of {@code folder}
     * @throws BtwException when the name breaks the rule
     */
    public static Path child(Path folder, String kind, String name) {
        check(kind, name);
        Path child = folder.resolve(name);
        return child;
    }

    /** The name with control characters shown as {@code \\uXXXX}, so that the message shows what is there. */
    static String printable(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || c == '\uFEFF') {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
