package dev.btw.djl.encoder.preprocess;

import org.bytedeco.ffmpeg.global.avutil;

/** Keeps FFmpeg's own log off the console: btw reports decoding failures in its own messages. */
final class FFmpegLog {

    private static volatile boolean done;

    private FFmpegLog() {}

    static void quiet() {
        if (!done) {
            avutil.av_log_set_level(avutil.AV_LOG_FATAL);
            done = true;
        }
    }
}
