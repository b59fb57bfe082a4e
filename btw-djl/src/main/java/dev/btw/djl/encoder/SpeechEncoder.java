package dev.btw.djl.encoder;

import dev.btw.core.BtwException;
import dev.btw.djl.encoder.preprocess.AudioDecoder;
import dev.btw.djl.encoder.spec.AudioPreprocess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The two-model speech-embedding chain: an audio file (WAV, or anything FFmpeg reads: MP3, FLAC, Ogg, M4A, the
 * soundtrack of a video file; {@link AudioDecoder}) is read, mixed to mono, resampled to the front end's rate and
 * scaled to the int16 range; the front-end model turns it into mel frames [T, 1, F, 32]; frames are transformed
 * ({@code x * melScale + melShift}), cut into windows of {@code window} frames every {@code stride} frames, each
 * window [window, 32, 1] becomes one vector through the main model, and the vectors are averaged. A clip shorter
 * than one window is padded at the front with frames of value 1, as openWakeWord's streaming buffer starts. A
 * waveform shorter than the front end's FFT length ({@link #MIN_SAMPLES}) is first padded with silence at the end,
 * so that a very short clip (a 0.1 s word, a few samples) gives one frame instead of an engine error.
 */
public final class SpeechEncoder extends BatchEncoder<float[]> {

    /**
     * The fewest samples the front end accepts: openWakeWord's mel-spectrogram model runs a 512-point STFT without
     * centre padding (ONNX Runtime rejects 511 samples with "Invalid input shape", accepts 512; measured).
     */
    public static final int MIN_SAMPLES = 512;

    private final AudioPreprocess pre;
    private final TensorModel frontEnd;
    private final TensorModel embedding;

    /**
     * @param name the encoder's name
     * @param fingerprint its fingerprint
     * @param frontEnd the mel-spectrogram model
     * @param embedding the embedding model
     * @param pre the audio settings
     * @param dimension the vector length
     */
    public SpeechEncoder(
            String name,
            String fingerprint,
            TensorModel frontEnd,
            TensorModel embedding,
            AudioPreprocess pre,
            int dimension) {
        super(name, dimension, fingerprint);
        this.pre = pre;
        this.frontEnd = frontEnd;
        this.embedding = embedding;
    }

    @Override
    float[] prepare(EncoderInput input) {
        float[] s;
        try {
            s = AudioDecoder.read(Path.of(input.value()), pre.sampleRate());
        } catch (BtwException e) {
            throw new EncoderException(name(), input.id(), e.getMessage());
        }
        float[] scaled = new float[Math.max(s.length, MIN_SAMPLES)];
        for (int i = 0; i < s.length; i++) {
            scaled[i] = s[i] * 32767f;
        }
        return scaled;
    }

    @Override
    String shapeOf(float[] samples) {
        return "waveform [1, " + samples.length + "] float32 at " + pre.sampleRate() + " Hz";
    }

    @Override
    List<float[]> run(List<float[]> batch) throws Exception {
        List<float[]> out = new ArrayList<>(batch.size());
        for (float[] samples : batch) {
            out.add(embed(samples));
        }
        return out;
    }

    private float[] embed(float[] samples) throws Exception {
        FloatTensor mel = frontEnd.run(new FloatTensor(samples, new long[] {1, samples.length}));
        int bins = mel.dim(mel.shape().length - 1);
        int frames = mel.data().length / bins;
        int w = pre.window();
        int padded = Math.max(frames, w);
        float[] m = new float[padded * bins];
        Arrays.fill(m, 0, (padded - frames) * bins, 1f);
        for (int i = 0; i < frames * bins; i++) {
            m[(padded - frames) * bins + i] = mel.data()[i] * pre.melScale() + pre.melShift();
        }
        int windows = (padded - w) / pre.stride() + 1;
        float[] x = new float[windows * w * bins];
        for (int k = 0; k < windows; k++) {
            System.arraycopy(m, k * pre.stride() * bins, x, k * w * bins, w * bins);
        }
        FloatTensor emb = embedding.run(new FloatTensor(x, new long[] {windows, w, bins, 1}));
        int d = emb.data().length / windows;
        float[] v = new float[d];
        for (int k = 0; k < windows; k++) {
            for (int j = 0; j < d; j++) {
                v[j] += emb.data()[k * d + j] / windows;
            }
        }
        return v;
    }

    @Override
    public void close() {
        frontEnd.close();
        embedding.close();
    }
}
