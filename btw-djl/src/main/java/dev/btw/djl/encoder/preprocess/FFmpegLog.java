package dev.btw.djl.encoder.preprocess;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * Sets FFmpeg up for btw before its first use: its own log stays off the console (btw reports decoding failures in
 * its own messages), and JavaCPP's cap on the process's resident memory is lifted unless the user set one (by
 * default JavaCPP refuses native allocations once the process's resident size passes twice the Java heap limit,
 * which the engines' own native memory alone can pass).
 */
final class FFmpegLog {

    private static final String MAX_PHYSICAL = "org.bytedeco.javacpp.maxPhysicalBytes";
    private static volatile boolean done;

    private FFmpegLog() {}

    static void quiet() {
        if (!done) {
            if (System.getProperty(MAX_PHYSICAL) == null) {
                System.setProperty(MAX_PHYSICAL, "0");
            }
            avutil.av_log_set_level(avutil.AV_LOG_FATAL);
            done = true;
        }
    }
}
