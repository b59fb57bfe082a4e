package dev.btw.djl.encoder;

import java.util.List;

/**
 * What an encoder sees of one instance: its id and its cells for this modality (one cell, or one per column for
 * tabular data). Cells that name files hold resolved paths.
 *
 * @param id the instance id
 * @param values the cells
 */
public record EncoderInput(String id, List<String> values) {

    /** Copies the cells. */
    public EncoderInput {
        values = List.copyOf(values);
    }

    /**
     * @param id the instance id
     * @param value its single cell
     * @return the input
     */
    public static EncoderInput of(String id, String value) {
        return new EncoderInput(id, List.of(value));
    }

    /** @return the first (usually the only) cell */
    public String value() {
        return values.get(0);
    }
}
