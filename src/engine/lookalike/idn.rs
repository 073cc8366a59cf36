//! Chromium's IDN spoof checker, label by label: the rules by which Chromium
//! shows an internationalized label in punycode rather than Unicode
//! (`IDNSpoofChecker::SafeToDisplayAsUnicode`,
//! components/url_formatter/spoof_checks/idn_spoof_checker.cc), in Chromium's
//! order. The comparison with protected domains (Chromium's top domains) is in
//! the parent module; ICU's `uspoof_check` is followed with the Unicode data of
//! `unicode-security` and `unicode-script`.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_script::{Script, UnicodeScript};
use unicode_security::GeneralSecurityProfile;
use unicode_security::mixed_script::AugmentedScriptSet;

use super::tables;
use crate::verdict::SpoofRule;

/// What a label breaks, when Chromium would show it in punycode.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum LabelSpoof {
    /// It mixes scripts beyond UTS #39's Highly Restrictive level (the
    /// contract's `mixed_script` floor).
    MixedScript,
    /// Any other rule.
    Rule(SpoofRule),
}

/// The first rule of Chromium's that an internationalized label breaks, in its
/// order. `label`: the label's Unicode form (lowercase, as decoded from
/// punycode); `tld`: the host's last label in ASCII, `tld_unicode` in Unicode.
pub(crate) fn check_label(label: &str, tld: &str, tld_unicode: &str) -> Option<LabelSpoof> {
    use LabelSpoof::{MixedScript, Rule};
    if label.is_ascii() {
        return None;
    }
    // ICU's uspoof_check, as Chromium configures it (USPOOF_CHAR_LIMIT with its
    // allowed set, USPOOF_HIGHLY_RESTRICTIVE, USPOOF_MIXED_NUMBERS,
    // USPOOF_INVISIBLE): Result::kICUSpoofChecks.
    if !label.chars().all(is_allowed) {
        return Some(Rule(SpoofRule::CharacterNotAllowed));
    }
    let level = restriction_level(label);
    if level == Level::Mixed {
        return Some(MixedScript);
    }
    if has_mixed_numbers(label) {
        return Some(Rule(SpoofRule::MixedNumbers));
    }
    if has_repeated_mark(label) {
        return Some(Rule(SpoofRule::Invisible));
    }
    // Result::kDeviationCharacters.
    if label.contains(tables::DEVIATION) {
        return Some(Rule(SpoofRule::DeviationCharacter));
    }
    // Result::kTLDSpecificCharacters: thorn, eth and schwa outside their ccTLD.
    if label.chars().nth(1).is_some()
        && tables::TLD_SPECIFIC
            .iter()
            .any(|&(c, only)| tld != only && label.contains(c))
    {
        return Some(Rule(SpoofRule::TldSpecificCharacter));
    }
    // Result::kUnsafeMiddleDot (HasUnsafeMiddleDot).
    if has_unsafe_middle_dot(label, tld) {
        return Some(Rule(SpoofRule::MiddleDot));
    }
    let in_any = |set: &[(char, char)], c: char| set.iter().any(|&(a, b)| (a..=b).contains(&c));
    let (d0, d1) = tables::COMBINING_DIACRITICS;
    if level == Level::SingleScript
        && !label.chars().any(|c| in_any(tables::KANA_EXCEPTIONS, c))
        && !label.chars().any(|c| (d0..=d1).contains(&c))
    {
        // Result::kWholeScriptConfusable. Only the scripts the label has can
        // make it confusable: each character's script is looked up once.
        let mut scripts = [Script::Unknown; 64];
        for (slot, c) in scripts.iter_mut().zip(label.chars()) {
            *slot = c.script();
        }
        // A label of more characters than that (longer than DNS allows) is
        // checked against every script.
        let scripts = scripts.get(..label.chars().count());
        if tables::WHOLE_SCRIPTS.iter().any(|ws| {
            scripts.is_none_or(|s| s.contains(&ws.script))
                && is_whole_script_confusable(ws, label)
                && !whole_script_allowed(ws, tld, tld_unicode)
        }) {
            return Some(Rule(SpoofRule::WholeScript));
        }
        return is_digit_lookalike(label).then_some(Rule(SpoofRule::DigitLookalike));
    }
    // Result::kDigitLookalikes.
    if is_digit_lookalike(label) {
        return Some(Rule(SpoofRule::DigitLookalike));
    }
    // Result::kNonAsciiLatinCharMixedWithNonLatin.
    let non_ascii_latin = label
        .chars()
        .any(|c| !c.is_ascii() && c.script() == Script::Latin);
    if non_ascii_latin && !is_lgc(label) {
        return Some(Rule(SpoofRule::NonAsciiLatinMixed));
    }
    // Result::kDangerousPattern. The pattern is a constant, compiled in a test;
    // were it ever not to compile, every label that gets here is flagged.
    match &*DANGEROUS {
        Some(re) if !re.is_match(label) => None,
        _ => Some(Rule(SpoofRule::DangerousPattern)),
    }
}

/// Whether the label is made of Latin, Greek and Cyrillic letters, ASCII digits,
/// `.`, `_`, `-` and the combining marks U+0300..U+0339: the labels whose
/// diacritics Chromium removes before comparing them with its top domains
/// (`lgc_letters_n_ascii_`, skeleton_generator.cc).
pub(crate) fn is_lgc(label: &str) -> bool {
    let (d0, d1) = tables::COMBINING_DIACRITICS;
    label.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(c, '.' | '_' | '-')
            || (d0..=d1).contains(&c)
            || matches!(c.script(), Script::Latin | Script::Greek | Script::Cyrillic)
    })
}

/// A label without diacritics, as Chromium's `DropAcc` transliterator leaves it
/// (`::NFD; ::[:Nonspacing Mark:] Remove; ::NFC; ł > l; ø > o; đ > d;`),
/// for a Latin-Greek-Cyrillic label; any other label is returned as it is.
/// Marks are told by `General_Category=Mark`, the only marks an LGC label can
/// hold being nonspacing ones.
pub(crate) fn remove_diacritics(label: &str) -> String {
    if !is_lgc(label) {
        return label.to_owned();
    }
    label
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .nfc()
        .map(|c| match c {
            'ł' => 'l',
            'ø' => 'o',
            'đ' => 'd',
            c => c,
        })
        .collect()
}

/// The regex of the dangerous patterns, compiled once.
static DANGEROUS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(tables::DANGEROUS_PATTERN).ok());

/// The restriction levels that matter here (UTS #39 section 5.2, as ICU's
/// `SpoofImpl::getRestrictionLevel` computes them).
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Level {
    /// One script (Common and Inherited characters belong to all; Han with
    /// Hiragana and Katakana, with Bopomofo, or with Hangul is one).
    SingleScript,
    /// Latin with one of those CJK writing systems.
    HighlyRestrictive,
    /// Anything else: more than Chromium allows.
    Mixed,
}

/// The label's restriction level.
fn restriction_level(label: &str) -> Level {
    let latin = AugmentedScriptSet::for_char('a');
    let mut all = AugmentedScriptSet::default();
    let mut beside_latin = AugmentedScriptSet::default();
    for c in label.chars() {
        let set = AugmentedScriptSet::for_char(c);
        all.intersect_with(set);
        let mut with_latin = set;
        with_latin.intersect_with(latin);
        if with_latin.is_empty() {
            beside_latin.intersect_with(set);
        }
    }
    if !all.is_empty() {
        Level::SingleScript
    } else if beside_latin.hanb || beside_latin.jpan || beside_latin.kore {
        Level::HighlyRestrictive
    } else {
        Level::Mixed
    }
}

/// Whether Chromium allows the character in a label: `Identifier_Status=Allowed`
/// (ICU's recommended and inclusion sets) and [`tables::KEPT_ALLOWED`], less
/// [`tables::REMOVED_FROM_ALLOWED`].
fn is_allowed(c: char) -> bool {
    let in_any = |set: &[(char, char)]| set.iter().any(|&(a, b)| (a..=b).contains(&c));
    (c.identifier_allowed() || in_any(tables::KEPT_ALLOWED))
        && !tables::REMOVED_FROM_ALLOWED
            .iter()
            .any(|&(a, b)| (a..=b).contains(&c))
}

/// ICU's `USPOOF_MIXED_NUMBERS`: decimal digits of more than one numbering
/// system (`੨0`, Gurmukhi two and ASCII zero).
fn has_mixed_numbers(label: &str) -> bool {
    let mut zero = None;
    for c in label.chars() {
        let cp = u32::from(c);
        let i = tables::DIGIT_ZEROS.partition_point(|&z| z <= cp);
        let Some(&z) = i.checked_sub(1).and_then(|i| tables::DIGIT_ZEROS.get(i)) else {
            continue;
        };
        if cp - z >= 10 {
            continue;
        }
        match zero {
            Some(seen) if seen != z => return true,
            _ => zero = Some(z),
        }
    }
    false
}

/// ICU's `USPOOF_INVISIBLE`: the same combining mark twice in one run of marks,
/// after NFD (`á́`, a Thai tone mark repeated).
fn has_repeated_mark(label: &str) -> bool {
    let mut run: Vec<char> = Vec::new();
    for c in label.nfd() {
        if !is_combining_mark(c) {
            run.clear();
            continue;
        }
        if run.contains(&c) {
            return true;
        }
        run.push(c);
    }
    false
}

/// Chromium's `HasUnsafeMiddleDot`: U+00B7 is allowed only under `.cat`,
/// between two `l`s (the Catalan ela geminada).
fn has_unsafe_middle_dot(label: &str, tld: &str) -> bool {
    if !label.contains('·') {
        return false;
    }
    let chars: Vec<char> = label.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        c == '·'
            && (tld != "cat"
                || i.checked_sub(1).and_then(|p| chars.get(p)) != Some(&'l')
                || chars.get(i + 1) != Some(&'l'))
    })
}

/// Chromium's `IsDigitLookalike`: only ASCII digits and digit lookalikes, at
/// least one of the latter.
fn is_digit_lookalike(label: &str) -> bool {
    let mut lookalike = false;
    for c in label.chars() {
        if c.is_ascii_digit() {
            continue;
        }
        if !tables::DIGIT_LOOKALIKES.contains(c) {
            return false;
        }
        lookalike = true;
    }
    lookalike
}

/// Chromium's `IsLabelWholeScriptConfusableForScript`: the label has letters of
/// the script, and all of them look Latin.
fn is_whole_script_confusable(ws: &tables::WholeScript, label: &str) -> bool {
    let mut any = false;
    for c in label.chars().filter(|c| c.script() == ws.script) {
        if !ws.latin_lookalikes.contains(c) {
            return false;
        }
        any = true;
    }
    any
}

/// Chromium's `IsWholeScriptConfusableAllowedForTLD`: the top-level domain has a
/// letter of the script, or is one of the script's listed ccTLDs.
fn whole_script_allowed(ws: &tables::WholeScript, tld: &str, tld_unicode: &str) -> bool {
    tld_unicode.chars().any(|c| c.script() == ws.script) || ws.allowed_tlds.contains(&tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! label {
        ($name:ident, $label:expr, $tld:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(check_label($label, $tld, $tld), $want);
            }
        };
    }
    use LabelSpoof::{MixedScript, Rule};

    #[test]
    fn dangerous_pattern_compiles() {
        assert!(DANGEROUS.is_some());
    }

    label!(ascii, "google", "com", None);
    label!(han, "北京大學", "cn", None);
    label!(latin_cyrillic, "tаobao", "com", Some(MixedScript));
    label!(
        cyrillic_scope,
        "ѕсоре",
        "com",
        Some(Rule(SpoofRule::WholeScript))
    );
    label!(cyrillic_scope_ru, "ѕсоре", "ru", None);
    label!(russian_word, "президент", "com", None);
    // Devanagari two: Gurmukhi digits are no longer Identifier_Status=Allowed.
    label!(
        devanagari_digits,
        "२२२",
        "com",
        Some(Rule(SpoofRule::DigitLookalike))
    );
    label!(
        mixed_numbers,
        "२0",
        "com",
        Some(Rule(SpoofRule::MixedNumbers))
    );
    label!(
        gurmukhi_not_allowed,
        "੨੨੨",
        "com",
        Some(Rule(SpoofRule::CharacterNotAllowed))
    );
    label!(
        sharp_s,
        "fuß",
        "com",
        Some(Rule(SpoofRule::DeviationCharacter))
    );
    label!(thorn_is, "þorn", "is", None);
    label!(
        thorn_com,
        "þorn",
        "com",
        Some(Rule(SpoofRule::TldSpecificCharacter))
    );
    label!(catalan, "col·lecció", "cat", None);
    label!(
        middle_dot,
        "col·lecció",
        "com",
        Some(Rule(SpoofRule::MiddleDot))
    );
    label!(
        e_acute_han,
        "héllo中国",
        "cn",
        Some(Rule(SpoofRule::NonAsciiLatinMixed))
    );
    label!(latin_han, "hello中国", "cn", None);
    label!(
        katakana_no,
        "abcノdef",
        "com",
        Some(Rule(SpoofRule::DangerousPattern))
    );
    label!(
        not_allowed,
        "a♥b",
        "com",
        Some(Rule(SpoofRule::CharacterNotAllowed))
    );
    label!(cafe, "café", "fr", None);

    #[test]
    fn diacritics() {
        assert_eq!(remove_diacritics("đigklmo68"), "digklmo68");
        assert_eq!(remove_diacritics("tést"), "test");
        assert_eq!(remove_diacritics("digklmø68"), "digklmo68");
        assert_eq!(remove_diacritics("中国é"), "中国é");
    }
}
