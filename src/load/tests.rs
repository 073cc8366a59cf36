//! The loader's tests: a text read piece by piece reads as the whole text,
//! build errors point at their item, and the paths found from TOML spans and
//! JSON positions are `serde_path_to_error`'s.

use super::json::deserialize_json;
use super::source::Step;
#[cfg(feature = "json")]
use super::source::json_path_at;
use super::toml::{deserialize_toml, read_toml, read_whole_toml};
use crate::error::{Error, ErrorKind};
use crate::limits::SizeLimits;
use crate::policy::Policy;
use crate::rules::FilePolicy;

/// What reading gives, printed: the model, or the error with its place.
fn outcome(r: Result<FilePolicy, Error>) -> String {
    match r {
        Ok(f) => format!("ok {f:?}"),
        Err(e) => format!("error {e} {:?} {:?}", e.kind(), e.location()),
    }
}

/// Read piece by piece, a text gives what it gives read whole: the same
/// model, or the same error at the same place.
#[test]
fn pieces_read_as_the_whole_text() {
    let texts = [
        "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a.example\"\n",
        // Sub-tables, before and after other tables.
        "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a.example\"\n[defaults]\ngroup = \"warn\"\n[rule.rollout]\npercent = 5\n[[rule]]\nid = \"b\"\naction = \"warn\"\nhost = \"b.example\"\n[rule.rollout]\npercent = 7\n",
        // A section defined twice.
        "version = 1\nrule = []\n[[rule]]\nid = \"a\"\n",
        "version = 1\n[[rule]]\nid = \"a\"\n[rule]\nid = \"b\"\n",
        "version = 1\n[rule.rollout]\npercent = 1\n[[rule]]\nid = \"a\"\n",
        "version = 1\n[[rule]]\nid = \"a\"\n[[rule.rollout]]\n",
        // A key and a sub-table given twice within an item.
        "version = 1\n[[rule]]\nid = \"a\"\nid = \"b\"\n",
        "version = 1\n[[rule]]\nid = \"a\"\n[rule.rollout]\n[rule.rollout]\n",
        // Field errors: the first in serde's order of the tables.
        "version = 1\n[[rule]]\nid = \"a\"\nacton = \"block\"\n[defaults]\ngrup = 1\n",
        "version = 1\n[[rule]]\nid = \"a\"\nacton = \"block\"\n[[complaint]]\ndomain = 3\n",
        "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a\"\n[[rule]]\nid = 5\n",
        "[[rule]]\nid = \"a\"\nacton = \"block\"\n",
        "[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a\"\n",
        "version = 1\nzzz = 1\n[[rule]]\nid = \"a\"\nacton = \"block\"\n",
        "version = 1\naaa = 1\n[[rule]]\nid = \"a\"\nacton = \"block\"\n",
        // Syntax errors: the first in the text.
        "version = 1\n[defaults]\ngroup = =\n[[rule]]\nid = \"a\n",
        "version = 1\n[[rule]]\nid = [\n[[rule]]\nid = \"b\"\n",
        "version = 1\n[[rule]\nid = \"a\"\n",
        "version = 1\n[[rule]] x\nid = \"a\"\n",
        // Lists of strings, read by the splitter or left to the parser.
        "version = 1\ntracking.params = [\"a_*\", 'b',\n# c\n\"\\u0064\",]\n[lookalike]\nprotect = [\"x.example\"]\n",
        "version = 1\n[tracking]\nparams = [\"a\"]\nparams = [\"b\"]\n",
        "version = 1\n[tracking]\nparams = [\"a\", 1]\n",
        "version = 1\n[tracking]\nparams = [\"a\\q\"]\n",
        "version = 1\ntracking.params = [\"a\"]\n[tracking]\nbuiltin = true\n",
        // Quoted and spaced headers, comments, CRLF.
        "version = 1\r\n[[ \"rule\" ]] # r\r\nid = 'a'\r\naction = \"block\"\r\ndomain = \"a.example\"\r\n",
        "version = 1\n[[list]]\nid = \"l\"\nformat = \"domains\"\naction = \"block\"\n[[platform]]\nid = \"p\"\ndomains = [\"p.example\"]\n[[test]]\nlink = \"a\"\nexpect = \"allow\"\n",
    ];
    let differ: Vec<String> = texts
        .iter()
        .filter_map(|text| {
            let (a, b) = (
                outcome(read_toml(text, &SizeLimits::default())),
                outcome(read_whole_toml(text)),
            );
            (a != b).then(|| format!("{text:?}\n pieces: {a}\n whole:  {b}"))
        })
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // The one difference: of two parse errors in different pieces, the
    // first in the text is reported, where the whole text may report a
    // later one first (the toml crate decodes strings after the rest).
    let text = "version = 1\n[[rule]]\nid = \"a\n[defaults]\ngroup = =\n";
    let e = read_toml(text, &SizeLimits::default())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        e.as_deref(),
        Some("invalid basic string, expected `\"` (line 3, column 8)")
    );
}

/// A problem found when building points at its item's line, each item
/// parsed alone to find it.
#[test]
fn build_errors_point_at_their_item() {
    let text = "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a.example\"\n[defaults]\ngroup = \"warn\"\n[[rule]]\nid = \"b\"\naction = \"block\"\n\ndomain = \"not a domain\"\n[tracking]\nparams = [\"ok\", \"\"]\n";
    let e = Policy::from_toml_str(text).err();
    let places: Vec<(Option<usize>, Option<String>)> = e
        .iter()
        .flat_map(|e| e.errors())
        .map(|e| (e.location().map(|l| l.line()), e.field().map(str::to_owned)))
        .collect();
    assert_eq!(
        places,
        [
            (Some(12), Some("domain".to_owned())),
            (Some(14), Some("params".to_owned()))
        ],
        "{e:?}"
    );
}

/// The path found from a TOML error's span is the one
/// `serde_path_to_error` gives, on a few thousand broken policies: each
/// `key = value` line of the sample policies with its key misspelt, its
/// value of other types, or the line taken out.
/// The JSON walker ends on any bytes, whatever `at` is: the text past
/// an error can be anything (a 65-byte policy looped forever, found by
/// the `load` fuzz target).
#[cfg(feature = "json")]
#[test]
fn json_walker_ends_on_any_text() {
    let texts = [
        r#"{"version": 1, "rule" {[:"id": "aion": "blmple""#,
        "{[:",
        "[,,]",
        "{,}",
        "{\"a\" 1 2 3",
        "[}",
        "{\"a\":}",
        "",
        "]]]",
    ];
    for text in texts {
        for at in 0..=text.len() + 1 {
            let _ = json_path_at(text.as_bytes(), at);
        }
    }
    // And a well-formed text still gives its path.
    let text = r#"{"rule": [{"id": "a"}, {"id": 7}]}"#;
    let at = text.find('7').unwrap();
    let (path, key) = json_path_at(text.as_bytes(), at);
    assert_eq!(format!("{path:?}"), r#"[Key("rule"), Index(1), Key("id")]"#);
    assert!(!key);
    let e =
        Policy::from_json_str(r#"{"version": 1, "rule" {[:"id": "aion": "blmple""#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Syntax, "{e}");
}

#[test]
fn toml_paths_from_spans_are_serde_path_to_error_paths() {
    let texts = [
        crate::SAMPLE_POLICY,
        include_str!("../../tests/data/example/policy.toml"),
    ];
    let (mut compared, mut with_path) = (0, 0);
    for text in texts {
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let Some((key, _)) = line.split_once(" = ") else {
                continue;
            };
            if key.starts_with('#') || key.contains(' ') {
                continue;
            }
            let edits = [
                format!("{key}x = 1"),
                format!("{key} = {{ z = 1 }}"),
                format!("{key} = 5"),
                format!("{key} = -5"),
                format!("{key} = \"x\""),
                format!("{key} = [\"x\", 5]"),
                format!("{key} = true"),
                String::new(),
            ];
            for edit in edits {
                let mut broken = lines.clone();
                broken[n] = &edit;
                let broken = broken.join("\n");
                let Ok(doc) = toml::de::DeTable::parse(&broken) else {
                    continue;
                };
                let Err(ours) = deserialize_toml::<FilePolicy>(doc.clone(), || Some(doc.clone()))
                else {
                    continue;
                };
                let theirs = serde_path_to_error::deserialize::<_, FilePolicy>(
                    toml::Deserializer::from(doc),
                )
                .err()
                .map(|e| path_of(e.path()));
                let expected = as_spte_sees_it(ours.path());
                assert_eq!(
                    Some(format!("{expected:?}")),
                    theirs.map(|p| format!("{p:?}")),
                    "line {} edited to {edit:?}: {}",
                    n + 1,
                    ours.inner().message()
                );
                compared += 1;
                with_path += usize::from(!ours.path().is_empty());
            }
        }
    }
    assert!(
        compared > 1000 && with_path > 900,
        "{compared} compared, {with_path} with a path"
    );
}

/// As serde_path_to_error gives a path.
fn path_of(path: &serde_path_to_error::Path) -> Vec<Step> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Enum { variant } => Some(Step::Key(variant.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

/// Our path as serde_path_to_error gives it: it loses a key that is not a
/// string (the categories of `complaints.thresholds`); the position has it.
fn as_spte_sees_it(path: &[Step]) -> Vec<Step> {
    let mut expected = path.to_vec();
    if let [Step::Key(a), Step::Key(b), ..] = expected.as_slice() {
        if a == "complaints" && b == "thresholds" && expected.len() > 2 {
            expected.remove(2);
        }
    }
    expected
}

/// The path found from a JSON error's line and column is the one
/// `serde_path_to_error` gives, on a few thousand broken policies: each
/// key of the sample policy (as JSON) misspelt, its value replaced by
/// values of other types, or the key taken out.
#[test]
fn json_paths_from_positions_are_serde_path_to_error_paths() {
    let sample: toml::Table = crate::SAMPLE_POLICY.parse().unwrap_or_default();
    let sample = serde_json::to_value(sample).unwrap_or_default();
    let example: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/data/example/policy.json"))
            .unwrap_or_default();
    // Every place in a tree: the path of keys and indices to it.
    fn places(v: &serde_json::Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    at.push(Step::Key(k.clone()));
                    out.push(at.clone());
                    places(v, at, out);
                    at.pop();
                }
            }
            serde_json::Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    at.push(Step::Index(i));
                    places(v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let (mut compared, mut with_path) = (0, 0);
    for doc in [sample, example] {
        let mut all = Vec::new();
        places(&doc, &mut Vec::new(), &mut all);
        for place in all {
            let Some((Step::Key(key), parent)) = place.split_last() else {
                continue;
            };
            let edits: [Option<serde_json::Value>; 8] = [
                None,
                Some(serde_json::json!({ "z": 1 })),
                Some(serde_json::json!(5)),
                Some(serde_json::json!(-5)),
                Some(serde_json::json!("x")),
                Some(serde_json::json!(["x", 5])),
                Some(serde_json::json!(true)),
                Some(serde_json::json!(null)),
            ];
            for (e, edit) in edits.into_iter().enumerate() {
                let mut broken = doc.clone();
                let mut node = &mut broken;
                for step in parent {
                    node = match step {
                        Step::Key(k) => &mut node[k.as_str()],
                        Step::Index(i) => &mut node[*i],
                    };
                }
                let Some(map) = node.as_object_mut() else {
                    continue;
                };
                let old = map.remove(key.as_str()).unwrap_or_default();
                match (e, edit) {
                    (0, _) => {
                        map.insert(format!("{key}x"), old);
                    }
                    (_, Some(v)) => {
                        map.insert(key.clone(), v);
                    }
                    _ => {}
                }
                let text = serde_json::to_string_pretty(&broken).unwrap_or_default();
                let mut de = serde_json::Deserializer::from_str(&text);
                let Err((err, ours)) = deserialize_json(&mut de, &text) else {
                    continue;
                };
                let mut de = serde_json::Deserializer::from_str(&text);
                let theirs = serde_path_to_error::deserialize::<_, FilePolicy>(&mut de)
                    .err()
                    .map(|e| path_of(e.path()));
                let expected = as_spte_sees_it(&ours);
                assert_eq!(
                    Some(format!("{expected:?}")),
                    theirs.map(|p| format!("{p:?}")),
                    "{place:?} edit {e}: {err}"
                );
                compared += 1;
                with_path += usize::from(!ours.is_empty());
            }
        }
    }
    assert!(
        compared > 1000 && with_path > 900,
        "{compared} compared, {with_path} with a path"
    );
}
