package dev.btw.core.io;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson mapper every module uses for JSON (run files, metrics, checkpoints' metadata, model metadata,
 * command output). Configured once here and never reconfigured by callers (an {@link ObjectMapper} is thread-safe
 * only while its configuration is left alone); per-call differences go through {@link ObjectMapper#writer()} or
 * {@link #PRETTY}.
 */
public final class Json {

    /**
     * The shared mapper. It reads {@code NaN} and {@code Infinity} as numbers, since metrics and weights may hold
     * them (Jackson writes them as strings, which it reads back too).
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** A writer of indented JSON over the shared mapper. */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {}
}
