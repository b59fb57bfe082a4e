package dev.btw.djl.encoder.spec;

import java.util.function.Function;

/**
 * Audio from a WAV file at any sample rate: mixed to mono, resampled to {@code sampleRate}, scaled to the int16
 * range, then through a front-end model (a mel spectrogram) whose frames are cut into windows for the main model.
 *
 * @param sampleRate the rate the front end expects, in Hz
 * @param frontEnd the key in the spec's {@code files} holding the front-end model (waveform -> frames)
 * @param window frames per window fed to the main model
 * @param stride frames between window starts
 * @param melScale the front end's output is transformed as {@code x * melScale + melShift}
 * @param melShift see {@code melScale}
 */
public record AudioPreprocess(int sampleRate, String frontEnd, int window, int stride, float melScale, float melShift)
        implements Preprocess {

    @Override
    public <R> R match(
            Function<? super TextPreprocess, ? extends R> text,
            Function<? super AudioPreprocess, ? extends R> audio,
            Function<? super ImagePreprocess, ? extends R> image,
            Function<? super VideoPreprocess, ? extends R> video) {
        return audio.apply(this);
    }

    @Override
    public String canonical() {
        return "audio(rate=" + sampleRate + ",front_end=" + frontEnd + ",window=" + window + ",stride=" + stride
                + ",mel_scale=" + melScale + ",mel_shift=" + melShift + ")";
    }
}
