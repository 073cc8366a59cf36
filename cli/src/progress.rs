//! A progress line on standard error, drawn only when it is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Counts lines and redraws `\r<n> lines` at most five times a second, on a
/// terminal only; [`Progress::finish`] clears it.
#[derive(Debug)]
pub(crate) struct Progress {
    on: bool,
    count: u64,
    start: Instant,
    last: Instant,
}

impl Progress {
    pub(crate) fn new() -> Self {
        let now = Instant::now();
        Self {
            on: std::io::stderr().is_terminal(),
            count: 0,
            start: now,
            last: now,
        }
    }

    /// Counts `n` more lines.
    pub(crate) fn add(&mut self, n: u64) {
        self.count += n;
        if self.on && self.last.elapsed() >= Duration::from_millis(200) {
            self.last = Instant::now();
            let secs = self.start.elapsed().as_secs_f64().max(1e-9);
            let mut err = std::io::stderr().lock();
            // A progress line that cannot be drawn is no reason to stop.
            let _ = write!(
                err,
                "\r{} lines ({:.0}/s)   ",
                self.count,
                self.count as f64 / secs
            );
            let _ = err.flush();
        }
    }

    /// Clears the line.
    pub(crate) fn finish(&self) {
        if self.on && self.start.elapsed() >= Duration::from_millis(200) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

/// A writer that counts the lines written through it.
#[derive(Debug)]
pub(crate) struct Counting<'a, W> {
    pub(crate) inner: W,
    pub(crate) progress: &'a mut Progress,
}

impl<W: Write> Write for Counting<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        let lines = buf
            .get(..n)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        self.progress.add(lines as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
