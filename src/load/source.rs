//! Locating errors in the policy text: the path of keys and indices an error
//! is about (found from a TOML error's span, a JSON error's line and column),
//! the item and field it names, and the line and column of what it is about
//! (`locate_in_toml`, for problems found when building).

#[cfg(any(feature = "toml", feature = "json"))]
use crate::error::Location;
use crate::error::{Error, ErrorKind, Item};

/// A step of the path to a value: a map key or an array index.
#[derive(Clone, Debug)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// Turns a deserialization message and its path into an error naming the item
/// and field.
pub(super) fn field_error(
    message: &str,
    path: &[Step],
    id_of: impl Fn(&str, usize) -> Option<String>,
) -> Error {
    let kind = if message.starts_with("unknown field") {
        ErrorKind::UnknownField
    } else if message.starts_with("duplicate key") || message.starts_with("duplicate field") {
        ErrorKind::Duplicate
    } else if message.starts_with("missing field") {
        ErrorKind::MissingField
    } else if path.is_empty() && !message.starts_with("invalid type") {
        ErrorKind::Syntax
    } else {
        ErrorKind::InvalidValue
    };
    let mut err = Error::new(kind, first_line(message));
    // The item: the first key, plus the index or table key that follows.
    let mut rest = path;
    if let [Step::Key(section), tail @ ..] = path {
        match tail {
            [Step::Index(i), more @ ..] => {
                err = err.with_item(Item::new(
                    section.as_str(),
                    Some(*i),
                    id_of(section, *i).as_deref(),
                ));
                rest = more;
            }
            [Step::Key(name), more @ ..] if matches!(section.as_str(), "tiers") => {
                err = err.with_item(Item::new(section.as_str(), None, Some(name)));
                rest = more;
            }
            [Step::Key(_), ..] if section == "complaints" => {
                err = err.with_item(Item::new("complaints", None, None));
                rest = tail;
            }
            [] if message.starts_with("duplicate key") => {
                // A map's key given twice: the item is the map's entry, by its key.
                err = err.with_item(Item::new(
                    section.as_str(),
                    None,
                    quoted_name(message).as_deref(),
                ));
                rest = &[];
            }
            [] => rest = &[],
            _ => {
                err = err.with_item(Item::new(section.as_str(), None, None));
                rest = tail;
            }
        }
        if tail.is_empty() && message.starts_with("invalid") {
            // A top-level scalar: the section is the field.
            err = err.with_field(section.as_str());
        }
    }
    // The field: the unknown or missing name the message gives, else the path.
    let named = quoted_name(message).filter(|_| {
        matches!(kind, ErrorKind::UnknownField | ErrorKind::MissingField)
            || message.starts_with("duplicate field")
    });
    let field = named.or_else(|| {
        let keys: Vec<String> = rest
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(i) => format!("[{i}]"),
            })
            .collect();
        (!keys.is_empty()).then(|| keys.join(".").replace(".[", "["))
    });
    if let Some(f) = field {
        err = err.with_field(f);
    }
    err
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .to_owned()
}

/// The first name in backticks in a serde message: `unknown field `acton`, …`.
pub(super) fn quoted_name(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len).map(str::to_owned)
}

/// Gives errors found in a TOML policy the line and column of what they are
/// about, and puts them in the order of the text.
///
/// The text is read piece by piece as when loading (see `load/split.rs`):
/// an error about an item parses that item alone, others parse the rest of
/// the text once; never the whole text at once.
#[cfg(feature = "toml")]
pub(crate) fn locate_in_toml(err: Error, text: &str) -> Error {
    use crate::load::split::{SECTIONS, section_index, split};
    let split = split(text);
    // The items of each section, by their index in the section.
    let mut by_section: Vec<Vec<usize>> = vec![Vec::new(); SECTIONS.len()];
    for (i, e) in split.elements.iter().enumerate() {
        if let Some(v) = by_section.get_mut(e.section) {
            v.push(i);
        }
    }
    let rest = split.rest(text, None);
    let mut rest_doc: Option<Option<toml::Spanned<toml::de::DeTable<'_>>>> = None;
    err.locate_and_sort(|e| {
        let item = e.item();
        let element = item.and_then(|item| {
            let s = section_index(item.section())?;
            let i = item.index()?;
            by_section.get(s)?.get(i).copied()
        });
        let span = match element {
            Some(i) => split.piece(text, i).and_then(|piece| {
                let doc = toml::de::DeTable::parse(&piece.text).ok()?;
                toml_span(&doc, e, Some(0)).map(|at| piece.offset_in_text(at))
            }),
            None => rest_doc
                .get_or_insert_with(|| toml::de::DeTable::parse(&rest).ok())
                .as_ref()
                .and_then(|doc| toml_span(doc, e, None)),
        };
        if let Some(span) = span {
            e.set_location(Some(Location::from_offset(text, span)));
        }
    })
}

/// An error of the toml crate as the crate's: `offset` turns an offset in
/// the piece parsed into one in the text, `id_of` gives an item's id.
#[cfg(feature = "toml")]
pub(super) fn toml_error(
    text: &str,
    e: &toml::de::Error,
    path: Option<&[Step]>,
    offset: impl Fn(usize) -> usize,
    id_of: impl Fn(&str, usize) -> Option<String>,
) -> Error {
    let mut err = match path {
        Some(path) => field_error(e.message(), path, id_of),
        None => Error::new(ErrorKind::Syntax, first_line(e.message())),
    };
    err.set_location(
        e.span()
            .map(|s| Location::from_offset(text, offset(s.start))),
    );
    err
}

/// The span of the value an error is about, found in the parsed TOML text.
#[cfg(feature = "toml")]
fn toml_span(
    doc: &toml::Spanned<toml::de::DeTable<'_>>,
    e: &Error,
    index: Option<usize>,
) -> Option<usize> {
    use toml::de::DeValue;
    let item = e.item()?;
    let mut sections = item.section().split('.');
    let first = sections.next()?;
    let mut value: &toml::Spanned<DeValue<'_>> = doc.get_ref().get(first)?;
    for s in sections {
        value = value.get_ref().get(s)?;
    }
    if let Some(i) = index.or(item.index()) {
        value = value.get_ref().get(i)?;
    } else if let Some(id) = item.id() {
        if let Some(v) = value.get_ref().get(id) {
            value = v;
        }
    }
    let mut best = value.span().start;
    if let Some(field) = e.field() {
        let mut v = value;
        for part in field.split('.') {
            let name = part.split('[').next().unwrap_or(part);
            match v.get_ref().get(name) {
                Some(next) => {
                    v = next;
                    best = v.span().start;
                }
                None => break,
            }
        }
    }
    Some(best)
}

/// The path of the innermost key or value of `tree` whose span holds `span`,
/// and whether it is a key.
#[cfg(feature = "toml")]
pub(super) fn toml_path_at(
    tree: &toml::Spanned<toml::de::DeTable<'_>>,
    span: &std::ops::Range<usize>,
) -> (Vec<Step>, bool) {
    use toml::de::DeValue;
    let holds = |s: std::ops::Range<usize>| s.start <= span.start && span.end <= s.end;
    let mut path = Vec::new();
    if tree.span() == *span {
        // A missing top-level field.
        return (path, false);
    }
    let mut table = tree.get_ref();
    // A table's own span (its header) does not hold its keys: look into every
    // table and array for the entry that holds the span.
    loop {
        let mut next = None;
        for (key, value) in table.iter() {
            if holds(key.span()) {
                path.push(Step::Key(key.get_ref().to_string()));
                return (path, true);
            }
            if toml_find(value, span) {
                path.push(Step::Key(key.get_ref().to_string()));
                next = Some(value);
                break;
            }
        }
        let Some(mut value) = next else {
            return (path, false);
        };
        // Down through arrays to the element that holds it.
        loop {
            match value.get_ref() {
                DeValue::Array(items) => {
                    let Some((i, item)) = items
                        .iter()
                        .enumerate()
                        .find(|(_, item)| toml_find(item, span))
                    else {
                        return (path, false);
                    };
                    path.push(Step::Index(i));
                    value = item;
                }
                DeValue::Table(t) => {
                    if holds(value.span())
                        && !t.iter().any(|(k, v)| holds(k.span()) || toml_find(v, span))
                    {
                        return (path, false);
                    }
                    table = t;
                    break;
                }
                _ => return (path, false),
            }
        }
    }
}

/// Whether `value` or anything in it holds `span`.
#[cfg(feature = "toml")]
fn toml_find(value: &toml::Spanned<toml::de::DeValue<'_>>, span: &std::ops::Range<usize>) -> bool {
    use toml::de::DeValue;
    let holds = |s: std::ops::Range<usize>| s.start <= span.start && span.end <= s.end;
    holds(value.span())
        || match value.get_ref() {
            DeValue::Array(items) => items.iter().any(|v| toml_find(v, span)),
            DeValue::Table(t) => t.iter().any(|(k, v)| holds(k.span()) || toml_find(v, span)),
            _ => false,
        }
}

#[cfg(feature = "json")]
pub(super) fn json_error(text: &str, e: &serde_json::Error, path: &[Step]) -> Error {
    let doc: Option<serde_json::Value> = serde_json::from_str(text).ok();
    let id_of = |section: &str, i: usize| -> Option<String> {
        doc.as_ref()?
            .get(section)?
            .get(i)?
            .get("id")?
            .as_str()
            .map(str::to_owned)
    };
    // serde_json appends " at line L column C" to its messages; we keep those apart.
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m);
    let mut err = if e.is_syntax() || e.is_eof() {
        Error::new(ErrorKind::Syntax, msg)
    } else {
        field_error(msg, path, id_of)
    };
    if e.line() > 0 {
        err.set_location(Some(Location::from_line_column(e.line(), e.column())));
    }
    err
}

/// The path of the innermost key or value of a JSON text that holds `at` or
/// ends right before it, and whether it is a key. serde_json reports an error
/// after the last byte it read: right after the value or key it is about
/// (after an object's closing brace for a missing field), or at the start of
/// a value it refused on its first byte.
#[cfg(feature = "json")]
pub(super) fn json_path_at(b: &[u8], at: usize) -> (Vec<Step>, bool) {
    let mut path = Vec::new();
    match json_walk(b, 0, at, &mut path) {
        Err(found) => (path, found),
        Ok(_) => (Vec::new(), false),
    }
}

/// Reads the JSON value at `p` (the text up to `at` has parsed, so its
/// syntax is right; past it, any bytes, and every loop moves on or stops);
/// `Ok` with the offset after it, or `Err` once the innermost key or
/// value holding `at` is found, with `path` leading to it (`true` for a key).
#[cfg(feature = "json")]
fn json_walk(b: &[u8], p: usize, at: usize, path: &mut Vec<Step>) -> Result<usize, bool> {
    let skip = |mut p: usize| {
        while b.get(p).is_some_and(u8::is_ascii_whitespace) {
            p += 1;
        }
        p
    };
    let string_end = |mut p: usize| {
        // `p` is at the opening quote.
        p += 1;
        while let Some(&c) = b.get(p) {
            match c {
                b'\\' => p += 2,
                b'"' => return p + 1,
                _ => p += 1,
            }
        }
        p
    };
    // Past a member of an object or array that started at `from`, and its
    // comma; `None` when nothing was read, which only text that is not JSON
    // does: the walk then ends, so every loop moves on or stops.
    let after_member = |end: usize, from: usize| {
        let mut q = skip(end);
        if b.get(q) == Some(&b',') {
            q = skip(q + 1);
        }
        (q > from).then_some(q)
    };
    let start = skip(p);
    let end = match b.get(start) {
        Some(b'{') => {
            let mut q = skip(start + 1);
            while b.get(q).is_some_and(|&c| c != b'}') {
                let from = q;
                let key_end = string_end(q);
                let key = b
                    .get(q..key_end)
                    .and_then(|k| serde_json::from_slice::<String>(k).ok())
                    .unwrap_or_default();
                path.push(Step::Key(key));
                if q <= at && at <= key_end {
                    return Err(true);
                }
                q = skip(key_end) + 1; // the colon
                let Some(next) = after_member(json_walk(b, q, at, path)?, from) else {
                    return Ok(b.len());
                };
                q = next;
                path.pop();
            }
            q + 1
        }
        Some(b'[') => {
            let mut q = skip(start + 1);
            let mut i = 0;
            while b.get(q).is_some_and(|&c| c != b']') {
                let from = q;
                path.push(Step::Index(i));
                let Some(next) = after_member(json_walk(b, q, at, path)?, from) else {
                    return Ok(b.len());
                };
                q = next;
                path.pop();
                i += 1;
            }
            q + 1
        }
        Some(b'"') => string_end(start),
        _ => {
            let mut q = start;
            while b
                .get(q)
                .is_some_and(|c| !matches!(c, b',' | b']' | b'}') && !c.is_ascii_whitespace())
            {
                q += 1;
            }
            q
        }
    };
    if start <= at && at <= end {
        return Err(false);
    }
    Ok(end)
}
