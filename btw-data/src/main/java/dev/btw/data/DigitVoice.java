package dev.btw.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A voice saying the digits 0-9: a real recording (Asterisk's prompts), or a synthetic voice (espeak-ng, flite).
 *
 * @param id a unique name, used in file names and the manifest's {@code voice} column
 * @param kind {@code real}, {@code espeak-ng} or {@code flite}
 * @param speaker the speaker group: voices of one speaker (the same person in two languages, or one espeak-ng
 *     variant in five languages) share it and always fall in the same split
 * @param language the language code ({@code en}, {@code es}, {@code fr}, {@code it}, {@code ru})
 * @param engineVoice the recording's folder (real), the espeak-ng voice ({@code fr+m3}), or the flite voice
 */
public record DigitVoice(String id, String kind, String speaker, String language, String engineVoice) {

    /** Real recordings. */
    public static final String REAL = "real";
    /** espeak-ng synthesis. */
    public static final String ESPEAK = "espeak-ng";
    /** flite synthesis. */
    public static final String FLITE = "flite";

    /** The digit words 0-9 per language, as the synthesisers read them. */
    public static final Map<String, List<String>> WORDS = Map.of(
            "en", List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            "es", List.of("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
            "fr", List.of("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
            "it", List.of("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"),
            "ru", List.of("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"));

    /** espeak-ng's voice per language. */
    static final Map<String, String> ESPEAK_LANGUAGE =
            Map.of("en", "en-us", "es", "es", "fr", "fr", "it", "it", "ru", "ru");
    /** The espeak-ng variants used; each is one synthetic speaker across the five languages. */
    public static final List<String> ESPEAK_VARIANTS =
            List.of("m1", "m2", "m3", "m5", "m7", "f1", "f2", "f3", "f5", "croak");
    /** The flite voices used (English). */
    public static final List<String> FLITE_VOICES = List.of("kal", "awb", "rms", "slt");

    /**
     * The real recordings: Debian package, language, the folder of {@code digits/0.wav}... inside the package, the
     * speaker. The English and Spanish prompts are both Allison's, so they share a speaker group.
     */
    public static final List<String[]> ASTERISK = List.of(
            new String[] {"asterisk-core-sounds-en-wav", "en", "en_US_f_Allison", "allison"},
            new String[] {"asterisk-core-sounds-es-wav", "es", "es_MX_f_Allison", "allison"},
            new String[] {"asterisk-core-sounds-fr-wav", "fr", "fr_CA_f_June", "june"},
            new String[] {"asterisk-core-sounds-it-wav", "it", "it_IT_m_Carlo", "carlo"},
            new String[] {"asterisk-core-sounds-ru-wav", "ru", "ru_RU_f_IvrvoiceRU", "ivrvoice-ru"});

    /** @return every voice the AV-MNIST recipe uses */
    public static List<DigitVoice> catalogue() {
        List<DigitVoice> all = new ArrayList<>();
        for (String[] a : ASTERISK) {
            all.add(new DigitVoice("asterisk-" + a[1] + "-" + a[3], REAL, "asterisk-" + a[3], a[1], a[2]));
        }
        for (String variant : ESPEAK_VARIANTS) {
            for (String lang : List.of("en", "es", "fr", "it", "ru")) {
                all.add(new DigitVoice(
                        "espeak-" + lang + "-" + variant,
                        ESPEAK,
                        "espeak-" + variant,
                        lang,
                        ESPEAK_LANGUAGE.get(lang) + "+" + variant));
            }
        }
        for (String v : FLITE_VOICES) {
            all.add(new DigitVoice("flite-" + v, FLITE, "flite-" + v, "en", v));
        }
        return all;
    }

    /**
     * @param digit 0-9
     * @return the word this voice says for it
     */
    public String word(int digit) {
        return WORDS.get(language).get(digit);
    }
}
