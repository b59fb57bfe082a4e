package dev.btw.djl.encoder.preprocess;

import dev.btw.core.BtwException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NumPy {@code .npy} file (float32, float64, int32 or int64, either byte order, C order) of shape [d] or
 * [T, d]. Written by hand: the format is a short Python-literal header followed by raw values, and reading it here
 * avoids starting an engine (DJL's decoder needs an NDManager) for every file of a large feature set.
 */
public final class NpyReader {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([fi])(\\d)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*True");

    /**
     * Values and their shape.
     *
     * @param data the values, row-major
     * @param shape the shape
     */
    public record Array(float[] data, int[] shape) {}

    private NpyReader() {}

    /**
     * @param file a {@code .npy} file
     * @return its values
     * @throws BtwException when it is not a readable {@code .npy} file of a supported type
     */
    public static Array read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BtwException("cannot read vector file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || bytes[1] != 'N' || bytes[2] != 'U') {
            throw new BtwException("not a .npy file: " + file);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find() || FORTRAN.matcher(header).find()) {
            throw new BtwException(".npy file " + file + ": unsupported header " + header.strip());
        }
        String[] dims = s.group(1).split(",");
        int[] shape = Arrays.stream(dims)
                .map(String::strip)
                .filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt)
                .toArray();
        int n = 1;
        for (int x : shape) {
            n *= x;
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, start + headerLen, bytes.length - start - headerLen)
                .order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        if (data.remaining() < (long) n * size) {
            throw new BtwException(".npy file " + file + " is truncated");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (kind + "" + size) {
                case "f4" -> data.getFloat();
                case "f8" -> (float) data.getDouble();
                case "i4" -> data.getInt();
                case "i8" -> data.getLong();
                default -> throw new BtwException(".npy file " + file + ": unsupported type " + kind + size);
            };
        }
        return new Array(out, shape);
    }
}
