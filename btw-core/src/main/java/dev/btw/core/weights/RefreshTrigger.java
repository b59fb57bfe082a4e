package dev.btw.core.weights;

import dev.btw.core.BtwException;

/** When BTW weights are refreshed during training ({@code btw.trigger}). */
public enum RefreshTrigger {
    /** After an epoch whose validation metric improved (the reference, and the default). */
    VAL_IMPROVED("val-improved"),
    /** After every epoch. */
    EVERY_EPOCH("every-epoch");

    private final String text;

    RefreshTrigger(String text) {
        this.text = text;
    }

    /**
     * @param value {@code val-improved} or {@code every-epoch}
     * @return the trigger
     * @throws BtwException for any other value
     */
    public static RefreshTrigger parse(String value) {
        for (RefreshTrigger t : values()) {
            if (t.text.equals(value == null ? null : value.trim())) {
                return t;
            }
        }
        throw new BtwException("unknown refresh trigger '" + value + "'; expected val-improved or every-epoch");
    }

    /** @return the spelling in a config */
    @Override
    public String toString() {
        return text;
    }
}
