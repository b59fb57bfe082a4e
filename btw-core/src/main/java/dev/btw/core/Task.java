package dev.btw.core;

import java.util.Locale;

/** What the fusion model predicts: a real number per instance, or a probability per class. */
public enum Task {
    /** One real-valued prediction per instance. */
    REGRESSION("regression"),
    /** One probability per class and instance. */
    CLASSIFICATION("classification");

    private final String text;

    Task(String text) {
        this.text = text;
    }

    /**
     * @param value {@code regression} or {@code classification}
     * @return the task
     * @throws BtwException for any other value, naming it
     */
    public static Task parse(String value) {
        if (value != null) {
            for (Task t : values()) {
                if (t.text.equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        throw new BtwException("unknown task '" + value + "'; expected regression or classification");
    }

    @Override
    public String toString() {
        return text;
    }
}
