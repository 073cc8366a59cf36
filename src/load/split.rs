//! A TOML policy text split into the pieces it is read in (issue #14).
//!
//! The toml crate parses a whole document into a tree before serde reads it:
//! its tokens, its parser's events and a spanned table for every `[[rule]]`,
//! about 40 bytes of heap for each byte of text. A policy is mostly items of
//! arrays of tables (`[[rule]]`, `[[complaint]]`, …), each small and alone. So
//! the text is split, with toml_parser's lexer (which knows strings, comments
//! and multi-line arrays), into those items and *the rest*: each item is
//! parsed and read on its own, and the rest is the text with the items
//! blanked out (spaces, so every offset in it is the original text's).
//!
//! TOML's rules hold across the pieces: an item's sub-tables (`[rule.rollout]`)
//! go with the item, wherever they are in the text; an array section also
//! defined outside its items (`rule = []`, `[rule]`) is the error the whole
//! document gives.

use std::borrow::Cow;
use std::ops::Range;

use toml_parser::Source;
use toml_parser::lexer::{Token, TokenKind};

/// The array-of-tables sections of the file model, whose items are read one
/// at a time.
pub(crate) const SECTIONS: [&str; 7] = [
    "complaint",
    "list",
    "phase",
    "platform",
    "redirector",
    "rule",
    "test",
];

/// The index in [`SECTIONS`] of a section's name.
pub(crate) fn section_index(name: &str) -> Option<usize> {
    SECTIONS.iter().position(|s| *s == name)
}

/// One `[[section]]` item: where it starts and ends in the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Element {
    /// Its section, an index in [`SECTIONS`].
    pub(crate) section: usize,
    start: usize,
    end: usize,
    /// The estimated heap of its parse tree, in bytes ([`VALUE_BYTES`] a value, [`TABLE_BYTES`] a table).
    pub(crate) tree_bytes: usize,
}

impl Element {
    /// Where the item's header starts in the text.
    pub(crate) fn start(&self) -> usize {
        self.start
    }
}

/// What the toml crate's parse tree costs for each value (a scalar, an array)
/// and each table (a header or an inline table), in bytes of heap: measured
/// with a counting allocator (`perf/`, `--untrusted`: 100,000 values in one
/// item, 10,000 inline tables, 100,000 `[tiers.X]` tables), rounded up.
pub(crate) const VALUE_BYTES: usize = 192;
/// See [`VALUE_BYTES`].
pub(crate) const TABLE_BYTES: usize = 2048;

/// A text split into items and the rest.
#[derive(Debug, Default)]
pub(crate) struct Split {
    /// The items, in the order of the text.
    pub(crate) elements: Vec<Element>,
    /// Sub-tables of an item found after other tables (`[[rule]]`,
    /// `[defaults]`, then `[rule.rollout]`): the item and the range.
    extra: Vec<(usize, Range<usize>)>,
    /// A section defined outside its items too, and the first of them.
    pub(crate) conflict: Option<usize>,
    /// The long lists of strings of the rest read here, as strings: the
    /// insides of their arrays are blanked out of the rest.
    pub(crate) strings: Vec<(Strings, Vec<String>)>,
    /// The insides of those arrays.
    blanks: Vec<Range<usize>>,
    /// The estimated heap of the rest's parse tree, in bytes (see
    /// [`VALUE_BYTES`]).
    pub(crate) rest_tree_bytes: usize,
}

/// A list of strings of the file model read by the splitter (issue #14): one
/// string costs a `String`, where a parsed array costs its tokens, events and
/// a spanned value each, twice the text again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strings {
    /// `[tracking] params`.
    TrackingParams,
    /// `[lookalike] protect`.
    LookalikeProtect,
}

/// The table a key-value statement of the rest is in, for [`Strings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Table {
    Root,
    Tracking,
    Lookalike,
    Other,
}

/// Reads the strings of an array whose `[` was just read: `Ok` with them
/// and the offset of its `]`, or `Err` with the token that is not a string,
/// a comma or space (the array is then left to the parser).
fn read_strings(
    source: &Source<'_>,
    tokens: &mut std::iter::Peekable<toml_parser::lexer::Lexer<'_>>,
) -> Result<(Vec<String>, usize), Option<Token>> {
    let mut items = Vec::new();
    let mut need_value = true;
    for t in tokens.by_ref() {
        match t.kind() {
            TokenKind::Whitespace | TokenKind::Newline | TokenKind::Comment => {}
            TokenKind::Comma if !need_value => need_value = true,
            TokenKind::RightSquareBracket => return Ok((items, t.span().start())),
            TokenKind::BasicString | TokenKind::LiteralString if need_value => {
                let Some(raw) = source.get(t) else {
                    return Err(Some(t));
                };
                let mut out = String::new();
                let mut bad = false;
                let kind =
                    raw.decode_scalar(&mut out, &mut |_: toml_parser::ParseError| bad = true);
                if kind != toml_parser::decoder::ScalarKind::String {
                    bad = true;
                }
                if bad {
                    return Err(Some(t));
                }
                items.push(out);
                need_value = false;
            }
            _ => return Err(Some(t)),
        }
    }
    Err(None)
}

/// A piece of text to parse alone, and where its bytes are in the whole text.
#[derive(Debug)]
pub(crate) struct Piece<'t> {
    /// The piece's text.
    pub(crate) text: Cow<'t, str>,
    /// (offset in the piece, offset in the text), one per range, ascending.
    segments: Vec<(usize, usize)>,
}

impl Piece<'_> {
    /// The offset in the whole text of an offset in the piece.
    pub(crate) fn offset_in_text(&self, offset: usize) -> usize {
        let (piece, text) = self
            .segments
            .iter()
            .rev()
            .find(|(p, _)| *p <= offset)
            .copied()
            .unwrap_or((0, 0));
        text + (offset - piece)
    }
}

/// The first part of a key, decoded, and how many parts it has.
struct Key {
    first: Option<String>,
    parts: usize,
}

/// Decodes a key token (a bare key or a quoted one).
fn decode(source: &Source<'_>, token: Token) -> Option<String> {
    let raw = source.get(token)?;
    let mut out: Cow<'_, str> = Cow::Borrowed("");
    let mut bad = false;
    raw.decode_key(&mut out, &mut |_: toml_parser::ParseError| bad = true);
    (!bad).then(|| out.into_owned())
}

fn is_key(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Atom
            | TokenKind::BasicString
            | TokenKind::LiteralString
            | TokenKind::MlBasicString
            | TokenKind::MlLiteralString
    )
}

/// Splits a TOML text into its `[[section]]` items and the rest. Never fails:
/// what it cannot make sense of stays where it is, for the parser to report.
pub(crate) fn split(text: &str) -> Split {
    let source = Source::new(text);
    let mut s = Splitter {
        text,
        source,
        tokens: source.lex().peekable(),
        out: Split::default(),
        last_of: [None; SECTIONS.len()],
        outside: [false; SECTIONS.len()],
        open_element: None,
        open_extra: None,
        table_seen: false,
        table: Table::Root,
        at_start: true,
        depth: 0,
    };
    while let Some(token) = s.tokens.next() {
        let flow = match token.kind() {
            TokenKind::Eof => Flow::Stop,
            TokenKind::Newline => {
                s.line_ends();
                Flow::Go
            }
            TokenKind::Whitespace | TokenKind::Comment => Flow::Go,
            TokenKind::LeftSquareBracket if s.at_start && s.depth == 0 => {
                s.header(token);
                Flow::Go
            }
            _ => s.statement(token),
        };
        if let Flow::Stop = flow {
            break;
        }
    }
    s.finish()
}

/// Whether the splitter reads on after a token, or stops (the text ends, or
/// cannot be read further: the parser will say why).
enum Flow {
    Go,
    Stop,
}

/// What a key-value statement's key leads to.
enum AfterKey {
    /// The statement's value was read whole (a list of strings).
    Read,
    /// The token after the key (or after `=`), to go on with.
    Then(Token),
    /// The text ends.
    Stop,
}

/// The splitter's state as it walks the tokens of a text.
struct Splitter<'t> {
    text: &'t str,
    source: Source<'t>,
    tokens: std::iter::Peekable<toml_parser::lexer::Lexer<'t>>,
    out: Split,
    /// The last item of each section.
    last_of: [Option<usize>; SECTIONS.len()],
    /// Where each section is defined outside its items.
    outside: [bool; SECTIONS.len()],
    /// The item or extra range being extended.
    open_element: Option<usize>,
    open_extra: Option<usize>,
    table_seen: bool,
    table: Table,
    at_start: bool,
    depth: usize,
}

impl Splitter<'_> {
    fn line_ends(&mut self) {
        if self.depth == 0 {
            self.at_start = true;
        }
    }

    /// A table header, `[a.b]` or `[[a]]`, whose first `[` is `token`.
    fn header(&mut self, token: Token) {
        let start = token.span().start();
        let double = match self.tokens.peek() {
            Some(next)
                if next.kind() == TokenKind::LeftSquareBracket
                    && next.span().start() == token.span().end() =>
            {
                self.tokens.next();
                true
            }
            _ => false,
        };
        let (key, well_formed) = self.header_key();
        if double && well_formed {
            // The second `]`, when it is there.
            if let Some(next) = self.tokens.peek() {
                if next.kind() == TokenKind::RightSquareBracket {
                    self.tokens.next();
                }
            }
        }
        self.table_seen = true;
        let section = key.first.as_deref().and_then(section_index);
        self.table = match key.first.as_deref() {
            Some("tracking") if key.parts == 1 && !double && well_formed => Table::Tracking,
            Some("lookalike") if key.parts == 1 && !double && well_formed => Table::Lookalike,
            _ => Table::Other,
        };
        match section {
            Some(s) if double && well_formed && key.parts == 1 => {
                self.close(start);
                self.open_element = Some(self.out.elements.len());
                if let Some(l) = self.last_of.get_mut(s) {
                    *l = Some(self.out.elements.len());
                }
                self.out.elements.push(Element {
                    section: s,
                    start,
                    end: self.text.len(),
                    tree_bytes: 0,
                });
            }
            Some(s) if well_formed && key.parts >= 2 => self.sub_table(s, start),
            _ => {
                self.close(start);
                if let Some(o) = section.and_then(|s| self.outside.get_mut(s)) {
                    *o = true;
                }
            }
        }
        self.out
            .add_tree_bytes(self.open_element, self.open_extra, TABLE_BYTES);
    }

    /// A header's key, up to its `]`, and whether it gets there.
    fn header_key(&mut self) -> (Key, bool) {
        let mut key = Key {
            first: None,
            parts: 0,
        };
        self.at_start = false;
        for t in self.tokens.by_ref() {
            match t.kind() {
                TokenKind::Whitespace | TokenKind::Dot => {}
                k if is_key(k) => {
                    if key.parts == 0 {
                        key.first = decode(&self.source, t);
                    }
                    key.parts += 1;
                }
                TokenKind::RightSquareBracket => return (key, true),
                TokenKind::Newline => {
                    // A header cut short: the line ends here.
                    self.at_start = true;
                    break;
                }
                _ => break,
            }
        }
        (key, false)
    }

    /// A sub-table `[section.x]` starting at `start`: it goes with the last
    /// item of its section, or defines the section outside its items.
    fn sub_table(&mut self, s: usize, start: usize) {
        match self.last_of.get(s).copied().flatten() {
            // Goes on with the item open: nothing to do.
            Some(last) if self.open_element == Some(last) => {}
            Some(last)
                if self
                    .open_extra
                    .is_some_and(|x| self.out.extra.get(x).is_some_and(|(e, _)| *e == last)) => {}
            Some(last) => {
                self.close(start);
                self.open_extra = Some(self.out.extra.len());
                self.out.extra.push((last, start..self.text.len()));
            }
            None => {
                self.close(start);
                if let Some(o) = self.outside.get_mut(s) {
                    *o = true;
                }
            }
        }
    }

    /// Ends the open item or extra range at `at`; none is open after.
    fn close(&mut self, at: usize) {
        if let Some(e) = self.open_element.and_then(|e| self.out.elements.get_mut(e)) {
            e.end = at;
        }
        if let Some((_, r)) = self.open_extra.and_then(|x| self.out.extra.get_mut(x)) {
            r.end = at;
        }
        self.open_element = None;
        self.open_extra = None;
    }

    /// Any other token: a key-value statement's start, or a token of a value.
    fn statement(&mut self, token: Token) -> Flow {
        let mut token = token;
        if self.at_start && self.depth == 0 && is_key(token.kind()) {
            match self.key_value(token) {
                AfterKey::Read => return Flow::Go,
                AfterKey::Stop => return Flow::Stop,
                AfterKey::Then(t) => token = t,
            }
        }
        self.value_token(token);
        Flow::Go
    }

    /// A key-value statement whose key starts with `token`: its key, up to
    /// `=`, and a list of strings of the file model read here whole.
    fn key_value(&mut self, token: Token) -> AfterKey {
        let mut parts = vec![decode(&self.source, token)];
        let mut after: Option<Token> = None;
        for t in self.tokens.by_ref() {
            match t.kind() {
                TokenKind::Whitespace | TokenKind::Dot => {}
                k if is_key(k) => {
                    if parts.len() < 3 {
                        parts.push(decode(&self.source, t));
                    } else {
                        parts.push(None);
                    }
                }
                _ => {
                    after = Some(t);
                    break;
                }
            }
        }
        if !self.table_seen {
            // A top-level key: `rule = [...]` defines the section.
            let first = parts.first().cloned().flatten();
            if let Some(s) = first.as_deref().and_then(section_index) {
                if let Some(o) = self.outside.get_mut(s) {
                    *o = true;
                }
            }
        }
        let Some(t) = after else {
            return AfterKey::Stop;
        };
        if t.kind() != TokenKind::Equals {
            return AfterKey::Then(t);
        }
        let key: Vec<&str> = parts.iter().map(|p| p.as_deref().unwrap_or("")).collect();
        let target = match (
            self.table,
            self.open_element.or(self.open_extra),
            key.as_slice(),
        ) {
            (Table::Root, None, ["tracking", "params"]) | (Table::Tracking, None, ["params"]) => {
                Some(Strings::TrackingParams)
            }
            (Table::Root, None, ["lookalike", "protect"])
            | (Table::Lookalike, None, ["protect"]) => Some(Strings::LookalikeProtect),
            _ => None,
        };
        let Some(next) = self
            .tokens
            .by_ref()
            .find(|t| t.kind() != TokenKind::Whitespace)
        else {
            return AfterKey::Stop;
        };
        if let (Some(target), TokenKind::LeftSquareBracket) = (target, next.kind()) {
            let open = next.span().end();
            match read_strings(&self.source, &mut self.tokens) {
                Ok((items, close)) => {
                    self.out.strings.push((target, items));
                    self.out.blanks.push(open..close);
                    self.at_start = false;
                    return AfterKey::Read;
                }
                Err(None) => return AfterKey::Stop,
                Err(Some(bad)) => {
                    // Left to the parser, inside the array.
                    self.depth = 1;
                    return AfterKey::Then(bad);
                }
            }
        }
        AfterKey::Then(next)
    }

    /// A token of a value (or the token after a key): counted in the tree's
    /// estimate, and nesting followed.
    fn value_token(&mut self, token: Token) {
        let kind = token.kind();
        if kind == TokenKind::Newline {
            self.line_ends();
            return;
        }
        self.at_start = false;
        let bytes = match kind {
            TokenKind::LeftCurlyBracket => TABLE_BYTES,
            TokenKind::Comma
            | TokenKind::RightSquareBracket
            | TokenKind::RightCurlyBracket
            | TokenKind::Equals
            | TokenKind::Dot => 0,
            _ => VALUE_BYTES,
        };
        self.out
            .add_tree_bytes(self.open_element, self.open_extra, bytes);
        match kind {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => self.depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {}
        }
    }

    fn finish(self) -> Split {
        let mut out = self.out;
        out.conflict = (0..SECTIONS.len()).find(|&s| {
            self.outside.get(s).copied().unwrap_or(false)
                && self.last_of.get(s).copied().flatten().is_some()
        });
        // Extras by item, in the order of the text within each.
        out.extra.sort_by_key(|(e, r)| (*e, r.start));
        out
    }
}

impl Split {
    /// The estimated heap of the whole text's parse tree: every item's and
    /// the rest's (see [`VALUE_BYTES`]).
    pub(crate) fn tree_bytes(&self) -> usize {
        self.elements
            .iter()
            .fold(self.rest_tree_bytes, |t, e| t.saturating_add(e.tree_bytes))
    }

    /// Adds `bytes` to the estimated tree of what is being read: the open
    /// item (directly or through a sub-table of it), or the rest.
    fn add_tree_bytes(&mut self, element: Option<usize>, extra: Option<usize>, bytes: usize) {
        let owner = element.or_else(|| extra.and_then(|x| self.extra.get(x).map(|(e, _)| *e)));
        let slot = match owner.and_then(|e| self.elements.get_mut(e)) {
            Some(e) => &mut e.tree_bytes,
            None => &mut self.rest_tree_bytes,
        };
        *slot = slot.saturating_add(bytes);
    }

    /// The rest of the text: the items blanked out, everything else where it
    /// was. With `keep`, that item stays (to have the parser report how it
    /// conflicts with the rest).
    pub(crate) fn rest<'t>(&self, text: &'t str, keep: Option<usize>) -> Cow<'t, str> {
        if self.elements.is_empty() && self.blanks.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut blanks: Vec<Range<usize>> = self.blanks.clone();
        for (i, e) in self.elements.iter().enumerate() {
            if Some(i) != keep {
                blanks.push(e.start..e.end);
            }
        }
        for (i, r) in &self.extra {
            if Some(*i) != keep {
                blanks.push(r.clone());
            }
        }
        blanks.sort_by_key(|r| r.start);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for r in blanks {
            out.push_str(text.get(at..r.start).unwrap_or(""));
            out.extend(std::iter::repeat_n(' ', r.end.saturating_sub(r.start)));
            at = r.end;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        Cow::Owned(out)
    }

    /// The item `i` as a text of its own: its header, fields and sub-tables.
    pub(crate) fn piece<'t>(&self, text: &'t str, i: usize) -> Option<Piece<'t>> {
        let e = self.elements.get(i)?;
        let first = text.get(e.start..e.end)?;
        let start = self.extra.partition_point(|(x, _)| *x < i);
        let extras = self
            .extra
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|(x, _)| *x == i);
        let mut segments = vec![(0, e.start)];
        let mut owned: Option<String> = None;
        for (_, r) in extras {
            let s = owned.get_or_insert_with(|| first.to_owned());
            // A header must start a line.
            if !s.ends_with('\n') {
                s.push('\n');
            }
            segments.push((s.len(), r.start));
            s.push_str(text.get(r.clone()).unwrap_or(""));
        }
        Some(Piece {
            text: owned.map_or(Cow::Borrowed(first), Cow::Owned),
            segments,
        })
    }

    /// The `n`th item of a section (by its index in [`SECTIONS`]).
    pub(crate) fn nth_of(&self, section: usize, n: usize) -> Option<usize> {
        self.elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.section == section)
            .nth(n)
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> (Vec<String>, String) {
        let s = split(text);
        let p = (0..s.elements.len())
            .filter_map(|i| s.piece(text, i).map(|p| p.text.into_owned()))
            .collect();
        (p, s.rest(text, None).into_owned())
    }

    #[test]
    fn items_and_the_rest() {
        let text = "version = 1\n[[rule]]\nid = \"a\"\n[rule.rollout]\npercent = 5\n[defaults]\ngroup = \"warn\"\n[[ 'rule' ]] # two\nid = \"b\"\nx = [\n'[[rule]]',\n]\n";
        let (p, rest) = pieces(text);
        assert_eq!(
            p,
            [
                "[[rule]]\nid = \"a\"\n[rule.rollout]\npercent = 5\n",
                "[[ 'rule' ]] # two\nid = \"b\"\nx = [\n'[[rule]]',\n]\n"
            ]
        );
        assert_eq!(rest.len(), text.len());
        assert!(rest.starts_with("version = 1\n  "), "{rest:?}");
        assert!(rest.contains("[defaults]\ngroup = \"warn\"\n"), "{rest:?}");
        assert!(!rest.contains("rule"), "{rest:?}");
        assert_eq!(split(text).conflict, None);
    }

    #[test]
    fn sub_tables_after_other_tables_go_with_their_item() {
        let text =
            "[[rule]]\nid = \"a\"\n[defaults]\ngroup = \"warn\"\n[rule.rollout]\npercent = 5\n";
        let s = split(text);
        let p = s.piece(text, 0).map(|p| (p.text.into_owned(), p.segments));
        let rollout = text.find("[rule.rollout]").unwrap_or(0);
        assert_eq!(
            p,
            Some((
                "[[rule]]\nid = \"a\"\n[rule.rollout]\npercent = 5\n".to_owned(),
                vec![(0, 0), (18, rollout)]
            ))
        );
        let piece = s.piece(text, 0);
        assert_eq!(piece.map(|p| p.offset_in_text(19)), Some(rollout + 1));
        assert_eq!(s.rest(text, None).trim(), "[defaults]\ngroup = \"warn\"");
    }

    #[test]
    fn a_section_defined_twice_is_a_conflict() {
        assert_eq!(split("rule = []\n[[rule]]\nid = \"a\"\n").conflict, Some(5));
        assert_eq!(split("[[rule]]\nid = \"a\"\n[rule]\n").conflict, Some(5));
        assert_eq!(split("[rule.x]\n[[rule]]\n").conflict, Some(5));
        assert_eq!(split("[defaults]\nrule = 1\n[[rule]]\n").conflict, None);
    }

    #[test]
    fn long_lists_of_strings_are_read_as_strings() {
        let text = "tracking.params = [\"a_*\", 'b', # c\n \"\\u0064\",\n]\n[lookalike]\nprotect = [\"x.example\"]\n[defaults]\nprotect = [\"y\"]\n";
        let s = split(text);
        assert_eq!(
            s.strings,
            [
                (
                    Strings::TrackingParams,
                    vec!["a_*".to_owned(), "b".to_owned(), "d".to_owned()]
                ),
                (Strings::LookalikeProtect, vec!["x.example".to_owned()])
            ]
        );
        let rest = s.rest(text, None);
        assert!(rest.starts_with("tracking.params = [ "), "{rest:?}");
        assert!(
            rest.contains("protect = [           ]\n[defaults]\nprotect = [\"y\"]"),
            "{rest:?}"
        );
        // Not only strings, or not a list: left to the parser.
        for text in [
            "tracking.params = [\"a\", 1]\n",
            "tracking.params = [, \"a\"]\n",
            "tracking.params = [\"a\" \"b\"]\n",
            "tracking.params = \"a\"\n",
            "[tracking]\nparams = [[\"a\"]]\n",
        ] {
            let s = split(text);
            assert!(s.strings.is_empty(), "{text}");
            assert_eq!(s.rest(text, None), text);
        }
    }

    #[test]
    fn strings_and_arrays_hide_headers() {
        let text = "a = \"\"\"\n[[rule]]\n\"\"\"\nb = [\n  [1],\n]\n[[complaint]]\n";
        let s = split(text);
        assert_eq!(s.elements.len(), 1);
        assert_eq!(s.elements.first().map(|e| e.section), Some(0));
    }
}
