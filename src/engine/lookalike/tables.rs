//! The character tables of Chromium's IDN spoof checker that are not in the
//! Unicode data the crate already has (`unicode-security`, `unicode-script`):
//! short lists, each copied in meaning (not in code) from the Chromium source file
//! named on it, `components/url_formatter/spoof_checks/` at
//! chromium/chromium@05eaa06bcd62d80432d379ad2287abb690ffc112 (BSD-3-Clause,
//! Copyright The Chromium Authors; see `tests/data/lookalike/LICENSE-chromium`).

use unicode_script::Script;

/// Characters Chromium removes from the identifier set it allows in a label
/// (`IDNSpoofChecker::SetAllowedUnicodeSet`, idn_spoof_checker.cc): a combining
/// long solidus overlay (looks like `/`), hyphen and quote lookalikes, NV8
/// characters, the Latin kra, and whole blocks of extremely rare Latin, Greek
/// and Cyrillic letters. Inclusive ranges.
pub(crate) const REMOVED_FROM_ALLOWED: &[(char, char)] = &[
    ('\u{0138}', '\u{0138}'), // Latin kra
    ('\u{01CD}', '\u{01DC}'), // Latin Extended-B: Pinyin
    ('\u{02BB}', '\u{02BC}'), // modifier letters turned comma, apostrophe
    ('\u{02EC}', '\u{02EC}'), // modifier letter voicing
    ('\u{0338}', '\u{0338}'), // combining long solidus overlay
    ('\u{058A}', '\u{058A}'), // Armenian hyphen
    ('\u{1C80}', '\u{1C8F}'), // Cyrillic Extended-C
    ('\u{1E00}', '\u{1E9B}'), // Latin Extended Additional
    ('\u{1F00}', '\u{1FFF}'), // Greek Extended
    ('\u{2010}', '\u{2010}'), // hyphen
    ('\u{2019}', '\u{2019}'), // right single quotation mark
    ('\u{2027}', '\u{2027}'), // hyphenation point
    ('\u{30A0}', '\u{30A0}'), // Katakana-Hiragana double hyphen
    ('\u{A640}', '\u{A69F}'), // Cyrillic Extended-B
    ('\u{A720}', '\u{A7FF}'), // Latin Extended-D
];

/// Characters UTS #46 maps differently in transitional and non-transitional
/// processing (`deviation_characters_`, idn_spoof_checker.cc): a label with one
/// is shown in punycode.
pub(crate) const DEVIATION: &[char] = &['\u{00DF}', '\u{03C2}', '\u{200C}', '\u{200D}'];

/// Letters Chromium allows under one top-level domain only
/// (`icelandic_characters_` and the schwa rule, idn_spoof_checker.cc): thorn and
/// eth (look like `b`/`p` and `o`) under `.is`, schwa under `.az`.
pub(crate) const TLD_SPECIFIC: &[(char, &str)] = &[('þ', "is"), ('ð', "is"), ('ə', "az")];

/// Characters that are, or look like, digits (`digit_lookalikes_`,
/// idn_spoof_checker.cc): a label made only of these and ASCII digits is shown
/// in punycode. With Georgian `კ`, which the test list's revision blocks as it
/// blocks `ੜ` (crbug.com/1156531: `16კ.com`, `officeკ65.com`).
pub(crate) const DIGIT_LOOKALIKES: &str = "θ२২੨૨೩೭շзҙӡउওਤ੩૩౩ဒვპੜკ੫丩ㄐճ৪੪୫૭୨౨";

/// Characters Chromium's rules treat as allowed that Unicode 15.1 and later
/// made `Limited_Use`: the Bopomofo letters (Chromium's test list shows
/// Bopomofo labels in Unicode, and its dangerous patterns name Bopomofo letters
/// that are blocked only next to other scripts). Inclusive ranges.
pub(crate) const KEPT_ALLOWED: &[(char, char)] =
    &[('\u{3105}', '\u{312F}'), ('\u{31A0}', '\u{31BF}')];

/// The characters of the kana exceptions (`kana_letters_exceptions_`): a
/// single-script label with one of them still goes through the pattern rules.
pub(crate) const KANA_EXCEPTIONS: &[(char, char)] = &[
    ('\u{3078}', '\u{307A}'),
    ('\u{30D8}', '\u{30DA}'),
    ('\u{30FB}', '\u{30FE}'),
];

/// Combining diacritical marks Chromium allows (`combining_diacritics_exceptions_`).
pub(crate) const COMBINING_DIACRITICS: (char, char) = ('\u{0300}', '\u{0339}');

/// A script whose letters can spell a label that looks Latin: its letters that
/// look like Latin ones, and the top-level domains where such a label is
/// expected (`kWholeScriptConfusables`, idn_spoof_checker.cc).
#[derive(Debug)]
pub(crate) struct WholeScript {
    /// The script (its `Script` property, as ICU's `[:Cyrl:]` reads it).
    pub(crate) script: Script,
    /// Its letters that look like Latin letters.
    pub(crate) latin_lookalikes: &'static str,
    /// ASCII top-level domains where a label of only those letters is allowed.
    pub(crate) allowed_tlds: &'static [&'static str],
}

/// Chromium's whole-script confusable table. Thai uses the set Chromium uses
/// outside Linux and ChromeOS (Windows, macOS, Android, iOS): the Linux set is
/// larger because of a Linux font, and a library does not know the font.
pub(crate) const WHOLE_SCRIPTS: &[WholeScript] = &[
    WholeScript {
        script: Script::Armenian,
        latin_lookalikes: "ագզէլհյոսւօՙ",
        allowed_tlds: &["am"],
    },
    WholeScript {
        script: Script::Cyrillic,
        latin_lookalikes: "аысԁеԍһіюјӏорԗԛѕԝхуъьҽпгѵѡ",
        allowed_tlds: &["bg", "by", "kz", "pyc", "ru", "su", "ua", "uz"],
    },
    WholeScript {
        script: Script::Ethiopic,
        latin_lookalikes: "ሀሠሰስበነተከዐዕዘጠፐꬅ",
        allowed_tlds: &["er", "et"],
    },
    WholeScript {
        script: Script::Georgian,
        latin_lookalikes: "იოყძხჽჿ",
        allowed_tlds: &["ge"],
    },
    WholeScript {
        script: Script::Greek,
        latin_lookalikes: "αικνρυωηοτ",
        allowed_tlds: &["gr"],
    },
    WholeScript {
        script: Script::Hebrew,
        latin_lookalikes: "דוחיןסװײ׳ﬦ",
        allowed_tlds: &["il"],
    },
    WholeScript {
        script: Script::Bengali,
        latin_lookalikes: "০৭",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Devanagari,
        latin_lookalikes: "ऽ०ॱ",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Gujarati,
        latin_lookalikes: "ડટ૦૧",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Gurmukhi,
        latin_lookalikes: "੦੧",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Kannada,
        latin_lookalikes: "ಽ೦೧",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Malayalam,
        latin_lookalikes: "ടഠധനറ൦",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Oriya,
        latin_lookalikes: "ଠ୦୮",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Tamil,
        latin_lookalikes: "டப௦",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Telugu,
        latin_lookalikes: "౦౧",
        allowed_tlds: &[],
    },
    WholeScript {
        script: Script::Myanmar,
        latin_lookalikes: "ခဂငထပဝ၀၂ၔၜ\u{1090}\u{1091}\u{1095}\u{1096}\u{1097}",
        allowed_tlds: &["mm"],
    },
    WholeScript {
        script: Script::Thai,
        latin_lookalikes: "บพเแ๐",
        allowed_tlds: &["th"],
    },
];

/// Chromium's supplement to the Unicode confusables, applied before the skeleton
/// when a host is compared with the protected domains (`extra_confusable_mapper_`,
/// skeleton_generator.cc): each character and what it is read as.
pub(crate) const EXTRA_CONFUSABLES: &[(&str, &str)] = &[
    ("æӕ", "ae"),
    ("ϼҏ", "p"),
    ("ħнћңҥӈӊԋԧԩ", "h"),
    ("ĸκкқҝҟҡӄԟ", "k"),
    ("ŋпԥกח", "n"),
    ("ŧтҭԏ七丅丆丁", "t"),
    ("ƅьҍв", "b"),
    ("ωшщพฟພຟ", "w"),
    ("мӎ", "m"),
    ("єҽҿၔ", "e"),
    ("ґ", "r"),
    ("ғӻ", "f"),
    ("ҫင", "c"),
    ("ұ丫", "y"),
    ("χҳӽӿ乂", "x"),
    ("ԃძ", "d"),
    ("ԍဌ", "g"),
    ("ടรຣຮ", "s"),
    ("၂", "j"),
    ("०০੦૦ଠ୦೦", "o"),
    ("৭੧૧", "q"),
    ("บບ", "u"),
    ("θ", "0"),
    ("२২੨૨೩೭շ", "2"),
    ("зҙӡउওਤ੩૩౩ဒვპ", "3"),
    ("੫丩ㄐ", "4"),
    ("ճ", "6"),
    ("৪੪୫", "8"),
    ("૭୨౨", "9"),
    ("—一―⸺⸻", "-"),
];

/// Characters that look like several strings (`character_map_`,
/// skeleton_generator.cc, and the U+04CF mapping of `GetSkeletons`): a host with
/// one is compared in each reading.
pub(crate) const ALTERNATIVES: &[(char, &[&str])] =
    &[('þ', &["b", "p"]), ('œ', &["ce", "oe"]), ('ӏ', &["l"])];

/// The zero of every block of decimal digits (General_Category=Nd; each block
/// holds the ten digits from its zero), for ICU's mixed-numbers check. From the
/// Unicode 14 character database; a digit of a later block is outside the
/// allowed identifier set, so it never reaches that check.
pub(crate) const DIGIT_ZEROS: &[u32] = &[
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Chromium's dangerous patterns (`dangerous_pattern`, idn_spoof_checker.cc), in
/// the regex crate's syntax: kana and CJK characters that look like `/`, `-`,
/// `.` or Latin letters next to other scripts, kana iteration and prolonged
/// sound marks out of context, look-alike Hiragana among Katakana and the
/// reverse, combining marks after non-LGC letters or after `i`, `j`, `l` and
/// dotless `i`, and combining kana voiced sound marks.
pub(crate) const DANGEROUS_PATTERN: &str = concat!(
    r"[^\p{scx=Kana}\p{scx=Hira}\p{scx=Hani}]",
    r"[\x{30ce}\x{30f3}\x{30bd}\x{30be}\x{4e36}\x{4e40}\x{4e41}\x{4e3f}]",
    r"[^\p{scx=Kana}\p{scx=Hira}\p{scx=Hani}]",
    r"|[^\p{scx=Kana}][\x{30fd}\x{30fe}]|^[\x{30fd}\x{30fe}]",
    r"|^\p{scx=Kana}+[\x{3078}-\x{307a}]\p{scx=Kana}+$",
    r"|^\p{scx=Hira}+[\x{30d8}-\x{30da}]\p{scx=Hira}+$",
    r"|[^\p{scx=Kana}\p{scx=Hira}]\x{30fc}|^\x{30fc}",
    r"|[a-z]\x{30fb}|\x{30fb}[a-z]",
    r"|[^\p{scx=Kana}\p{scx=Hira}\p{scx=Hani}\p{scx=Bopo}]",
    r"[\x{4e00}\x{3127}\x{4e28}\x{4e5b}\x{4e03}\x{4e05}\x{5341}\x{3007}\x{3112}",
    r"\x{311a}\x{311f}\x{3128}\x{3129}\x{3108}\x{31ba}\x{31b3}\x{5de5}\x{31b2}\x{8ba0}\x{4e01}]",
    r"|[\x{4e00}\x{3127}\x{4e28}\x{4e5b}\x{4e03}\x{4e05}\x{5341}\x{3007}\x{3112}",
    r"\x{311a}\x{311f}\x{3128}\x{3129}\x{3108}\x{31ba}\x{31b3}\x{5de5}\x{31b2}\x{8ba0}\x{4e01}]",
    r"[^\p{scx=Kana}\p{scx=Hira}\p{scx=Hani}\p{scx=Bopo}]",
    r"|[^\p{scx=Latn}\p{scx=Grek}\p{scx=Cyrl}][\x{0300}-\x{0339}]",
    r"|\x{0131}[\x{0300}-\x{0339}]",
    r"|\x{3099}|\x{309a}",
    r"|[ijl]\x{0307}",
);
