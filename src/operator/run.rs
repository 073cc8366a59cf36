//! The loop of the contract's example program (section 8), shared by
//! `examples/classify.rs` and `linkpolicy classify`.

use std::io::{self, BufRead, Write};

use crate::policy::Policy;
use crate::request::{MessageRequest, Request, error_json};

/// Reads request lines from `input` and writes one answer line each to
/// `output`, in order: a verdict ([`Request::answer`]), or with `messages` the
/// links of a message ([`MessageRequest::answer`]); a line that cannot be read
/// gets `{"error": "..."}` and the loop goes on. With `flush_each`, the output
/// is flushed after every line (for an interactive session). Returns the number
/// of lines answered.
///
/// This is the example program (see the crate's "The example program") without its argument
/// parsing: `examples/classify.rs` and the command-line tool's `classify` both
/// call it, so they answer alike.
///
/// # Errors
///
/// An error writing to `output`. A line that is not UTF-8 is answered with an
/// error line, not returned.
///
/// # Example
///
/// ```
/// use linkpolicy::{classify_lines, Policy, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let input = "https://item.jd.com/1.html\n{\"link\": 1}\n";
/// let mut out = Vec::new();
/// let n = classify_lines(&policy, input.as_bytes(), &mut out, false, false)?;
/// assert_eq!(n, 2);
/// let out = String::from_utf8(out)?;
/// let lines: Vec<&str> = out.lines().collect();
/// assert!(lines[0].starts_with(r#"{"action":"allow""#), "{}", lines[0]);
/// assert!(lines[1].starts_with(r#"{"error":"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn classify_lines<R: BufRead, W: Write>(
    policy: &Policy,
    input: R,
    mut output: W,
    messages: bool,
    flush_each: bool,
) -> io::Result<u64> {
    let mut n = 0;
    for line in input.lines() {
        let answer = match line {
            Ok(line) if messages => MessageRequest::answer(policy, &line),
            Ok(line) => Request::answer(policy, &line),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                error_json(&format!("cannot read line: {e}"))
            }
            Err(e) => return Err(e),
        };
        writeln!(output, "{answer}")?;
        if flush_each {
            output.flush()?;
        }
        n += 1;
    }
    output.flush()?;
    Ok(n)
}
