package dev.btw.bench.command;

import dev.btw.djl.encoder.EncoderInput;
import dev.btw.djl.encoder.spec.AudioPreprocess;
import dev.btw.djl.encoder.spec.EncoderSpec;
import dev.btw.djl.encoder.spec.Preprocess;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Seeded synthetic inputs for {@code btw bench encode}: sentences of 5 to 25 words; 28x28 grey images of random
 * strokes; one-second 16 kHz WAV clips of tones in noise; for clip encoders, {@value #CLIP_SECONDS}-second MP4 clips
 * (MPEG-4 Part 2, 25 fps, {@value #CLIP_WIDTH}x{@value #CLIP_HEIGHT}) of strokes drifting over noise. Speed depends
 * on the shapes, not on the content.
 */
final class BenchInputs {

    private static final String[] WORDS = ("the a this that food service movie place staff price story plot actor "
                    + "was is were really very not quite so good bad great terrible slow friendly cold warm and but with")
            .split(" ");

    /** Length of a synthetic clip, in seconds. */
    static final int CLIP_SECONDS = 4;
    /** Width of a synthetic clip. */
    static final int CLIP_WIDTH = 320;
    /** Height of a synthetic clip. */
    static final int CLIP_HEIGHT = 240;

    private BenchInputs() {}

    static List<EncoderInput> make(EncoderSpec spec, int n, Path dir, long seed) throws IOException {
        Random r = new Random(seed);
        List<EncoderInput> out = new ArrayList<>(n);
        Preprocess.Kind kind = Preprocess.kindOf(spec.preprocess());
        int sampleRate =
                kind == null ? 0 : spec.preprocess().match(t -> 0, AudioPreprocess::sampleRate, i -> 0, v -> 0);
        for (int i = 0; i < n; i++) {
            String id = "b" + i;
            if (kind == Preprocess.Kind.VIDEO) {
                Path f = dir.resolve(id + ".mp4");
                clip(r, f);
                out.add(EncoderInput.of(id, f.toString()));
            } else if (kind == Preprocess.Kind.IMAGE) {
                Path f = dir.resolve(id + ".png");
                ImageIO.write(image(r), "png", f.toFile());
                out.add(EncoderInput.of(id, f.toString()));
            } else if (kind == Preprocess.Kind.AUDIO) {
                Path f = dir.resolve(id + ".wav");
                wav(r, sampleRate, f);
                out.add(EncoderInput.of(id, f.toString()));
            } else {
                int len = 5 + r.nextInt(21);
                StringBuilder sb = new StringBuilder();
                for (int w = 0; w < len; w++) {
                    sb.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
                }
                out.add(EncoderInput.of(id, sb.append('.').toString()));
            }
        }
        return out;
    }

    private static void clip(Random r, Path f) throws IOException {
        int w = CLIP_WIDTH;
        int h = CLIP_HEIGHT;
        byte[] noise = new byte[w * h * 3];
        r.nextBytes(noise);
        int x0 = r.nextInt(w);
        int y0 = r.nextInt(h);
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // the encoder's banner is noise here
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(f.toFile(), w, h, 0)) {
            rec.setFormat("mp4");
            rec.setFrameRate(25);
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setVideoBitrate(1_000_000);
            rec.start();
            ByteBuffer b = ByteBuffer.allocateDirect(w * h * 3);
            for (int t = 0; t < 25 * CLIP_SECONDS; t++) {
                b.clear();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int k = 3 * (y * w + x);
                        boolean stroke = Math.abs((x - x0 - 2 * t) - (y - y0)) < 4;
                        byte v = stroke ? (byte) 255 : (byte) ((noise[k] & 0x3f) + t);
                        b.put(v).put(stroke ? (byte) 255 : noise[k + 1]).put(v);
                    }
                }
                b.flip();
                rec.recordImage(w, h, Frame.DEPTH_UBYTE, 3, w * 3, avutil.AV_PIX_FMT_RGB24, b);
            }
            rec.stop();
        }
    }

    private static BufferedImage image(Random r) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(2.5f));
        for (int s = 0; s < 3; s++) {
            g.drawLine(4 + r.nextInt(20), 4 + r.nextInt(20), 4 + r.nextInt(20), 4 + r.nextInt(20));
        }
        g.dispose();
        return img;
    }

    private static void wav(Random r, int rate, Path f) throws IOException {
        double hz = 200 + r.nextInt(600);
        ByteBuffer b = ByteBuffer.allocate(2 * rate).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rate; i++) {
            double v = 0.3 * Math.sin(2 * Math.PI * hz * i / rate) + 0.05 * r.nextGaussian();
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32767))));
        }
        AudioFormat fmt = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), fmt, rate)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, f.toFile());
        }
    }
}
