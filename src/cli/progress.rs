//! Progress of `bdc apply --wait` and `bdc rollout` on stderr. On a terminal, below the lines
//! that stay, a live block holds one line per partner in flight — where it stands now — and is
//! redrawn in place as its objects move (like `kubectl rollout status`, without a new line per
//! poll). Piped (CI logs, files, tests), nothing is redrawn: every line is printed once, as it
//! always was, so what scripts read does not depend on the terminal.

use std::io::Write;
use std::sync::Mutex;

/// Live lines at most; more partners in flight are counted on the last line.
const LINES: usize = 12;

/// The stderr of the process, or a buffer in tests.
type Out = Box<dyn Write + Send>;

struct State {
    out: Out,
    /// The live block: partner → its latest state, in the order partners started.
    block: Vec<(String, String)>,
    /// Lines of the block on screen (to move back over them).
    drawn: usize,
}

pub struct Progress {
    live: bool,
    /// Columns of the terminal: block lines are cut to fit (a wrapped line would break the
    /// count of lines to redraw).
    width: usize,
    state: Mutex<State>,
}

impl Progress {
    /// A renderer that redraws in place when `live` (a terminal), or prints plain lines.
    pub fn new(live: bool, width: usize, out: Out) -> Progress {
        Progress { live, width: width.max(20), state: Mutex::new(State { out, block: Vec::new(), drawn: 0 }) }
    }

    /// On stderr: live when it is a terminal that understands cursor movement (not
    /// `TERM=dumb`).
    pub fn stderr() -> Progress {
        use std::io::IsTerminal;
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        let live = std::io::stderr().is_terminal() && !dumb;
        Progress::new(live, columns(), Box::new(std::io::stderr()))
    }

    /// Whether progress is drawn in place.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// A line that stays (printed above the live block).
    pub fn line(&self, text: &str) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.erase(&mut s);
        let _ = writeln!(s.out, "{text}");
        self.draw(&mut s);
    }

    /// Where a partner stands now: its line of the live block (nothing when piped).
    pub fn status(&self, partner: &str, text: &str) {
        if !self.live {
            return;
        }
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match s.block.iter_mut().find(|(p, _)| p == partner) {
            Some((_, t)) if t == text => return,
            Some((_, t)) => *t = text.to_string(),
            None => s.block.push((partner.to_string(), text.to_string())),
        }
        self.erase(&mut s);
        self.draw(&mut s);
    }

    /// A partner is done: its live line goes.
    pub fn done(&self, partner: &str) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !s.block.iter().any(|(p, _)| p == partner) {
            return;
        }
        self.erase(&mut s);
        s.block.retain(|(p, _)| p != partner);
        self.draw(&mut s);
    }

    /// Every live line goes (a wave ended, or the command).
    pub fn clear(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.erase(&mut s);
        s.block.clear();
    }

    fn erase(&self, s: &mut State) {
        if s.drawn > 0 {
            // Up to the block's first line, then clear to the end of the screen.
            let _ = write!(s.out, "\x1b[{}A\r\x1b[J", s.drawn);
            s.drawn = 0;
        }
    }

    fn draw(&self, s: &mut State) {
        if !self.live {
            let _ = s.out.flush();
            return;
        }
        let shown = if s.block.len() > LINES { LINES - 1 } else { s.block.len() };
        let mut lines: Vec<String> =
            s.block.iter().take(shown).map(|(p, t)| clip(&format!("  … {p}: {t}"), self.width - 1)).collect();
        if shown < s.block.len() {
            lines.push(format!("  … and {} more partners in flight", s.block.len() - shown));
        }
        for line in &lines {
            let _ = writeln!(s.out, "{line}");
        }
        s.drawn = lines.len();
        let _ = s.out.flush();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `text` cut to `width` characters (with `…` when cut).
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The terminal's width on stderr (`COLUMNS`, else 80 when it cannot be asked).
fn columns() -> usize {
    #[cfg(unix)]
    if let Ok(size) = rustix::termios::tcgetwinsize(std::io::stderr()) {
        if size.ws_col > 0 {
            return usize::from(size.ws_col);
        }
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(80)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A writer the test reads back.
    #[derive(Clone, Default)]
    pub struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("buffer").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buffer {
        pub fn text(&self) -> String {
            String::from_utf8(self.0.lock().expect("buffer").clone()).expect("utf-8")
        }
    }

    fn run(live: bool) -> String {
        let buffer = Buffer::default();
        let p = Progress::new(live, 40, Box::new(buffer.clone()));
        p.line("wave pilot: a, b");
        p.status("a", "Deployment web progressing: 1 of 2 new replicas updated");
        p.status("b", "Deployment web progressing");
        p.status("b", "Deployment web progressing");
        p.line("  a: Deployment web ready");
        p.done("a");
        p.clear();
        p.line("release 1.0.0: every wave done");
        drop(p);
        buffer.text()
    }

    #[test]
    fn piped_prints_only_the_lines_that_stay() {
        assert_eq!(run(false), "wave pilot: a, b\n  a: Deployment web ready\nrelease 1.0.0: every wave done\n");
    }

    #[test]
    fn a_terminal_redraws_one_line_per_partner_in_place() {
        let up = |n: usize| format!("\x1b[{n}A\r\x1b[J");
        let expected = [
            "wave pilot: a, b\n".to_string(),
            // a appears (cut to the width), then b below it; b's repeated state draws nothing.
            "  … a: Deployment web progressing: 1 o…\n".into(),
            up(1),
            "  … a: Deployment web progressing: 1 o…\n  … b: Deployment web progressing\n".into(),
            // A line that stays goes above the block, which is drawn again below it.
            up(2),
            "  a: Deployment web ready\n".into(),
            "  … a: Deployment web progressing: 1 o…\n  … b: Deployment web progressing\n".into(),
            // a is done; then the block is cleared, and what follows is plain.
            up(2),
            "  … b: Deployment web progressing\n".into(),
            up(1),
            "release 1.0.0: every wave done\n".into(),
        ]
        .concat();
        assert_eq!(run(true), expected);
    }

    #[test]
    fn a_long_block_counts_the_rest() {
        let buffer = Buffer::default();
        let p = Progress::new(true, 80, Box::new(buffer.clone()));
        for i in 0..20 {
            p.status(&format!("p{i}"), "progressing");
        }
        let text = buffer.text();
        let last = text.rsplit("\x1b[J").next().expect("a last drawing");
        assert_eq!(last.lines().count(), LINES, "{last}");
        assert!(last.ends_with("  … and 9 more partners in flight\n"), "{last}");
    }

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("äbcd", 3), "äb…");
    }
}
