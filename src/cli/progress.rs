//! Progress of `bdc apply --wait` and `bdc rollout` on stderr. On a terminal, below the lines
//! that stay, a live block holds one line per partner in flight — where it stands now — and is
//! redrawn in place as its objects move (like `kubectl rollout status`, without a new line per
//! poll). Piped (CI logs, files, tests), nothing is redrawn: every line is printed once, as it
//! always was, so what scripts read does not depend on the terminal.

use crate::apply::client::Outcome;
use crate::apply::health::Health;
use crate::apply::session::Event;
use std::io::Write;
use std::sync::Mutex;

/// Live lines at most; more partners in flight are counted on the last line.
const LINES: usize = 12;

/// The stderr of the process, or a buffer in tests.
type Out = Box<dyn Write + Send>;

/// A partner's line of the live block.
struct Line {
    partner: String,
    /// The object the line is about, and where it stands.
    object: String,
    text: String,
    /// Ready: the line may make room for others.
    settled: bool,
}

struct State {
    out: Out,
    /// The live block, in the order partners started.
    block: Vec<Line>,
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
        // `-q`: errors only, so no live block either.
        let live = std::io::stderr().is_terminal() && !dumb && !super::quiet();
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

    /// Where a partner's object stands now: the partner's line of the live block (nothing when
    /// piped).
    pub fn status(&self, partner: &str, object: &str, text: &str) {
        self.update(partner, object, text, false);
    }

    /// A partner's object is ready: the partner's line says so unless another of its objects
    /// is still moving, and makes room for partners still moving when the block is full.
    pub fn settle(&self, partner: &str, object: &str, text: &str) {
        self.update(partner, object, text, true);
    }

    fn update(&self, partner: &str, object: &str, text: &str, settled: bool) {
        if !self.live {
            return;
        }
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match s.block.iter_mut().find(|l| l.partner == partner) {
            Some(l) if l.text == text && l.settled == settled => return,
            // The line stays on what is still moving.
            Some(l) if settled && !l.settled && l.object != object => return,
            Some(l) => (l.object, l.text, l.settled) = (object.to_string(), text.to_string(), settled),
            None => s.block.push(Line {
                partner: partner.to_string(),
                object: object.to_string(),
                text: text.to_string(),
                settled,
            }),
        }
        // Settled lines go first, oldest first, when there are too many.
        while s.block.len() > LINES {
            let Some(i) = s.block.iter().position(|l| l.settled) else { break };
            s.block.remove(i);
        }
        self.erase(&mut s);
        self.draw(&mut s);
    }

    /// A partner is done: its live line goes.
    pub fn done(&self, partner: &str) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !s.block.iter().any(|l| l.partner == partner) {
            return;
        }
        self.erase(&mut s);
        s.block.retain(|l| l.partner != partner);
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
        let mut lines: Vec<String> = s
            .block
            .iter()
            .take(shown)
            .map(|l| {
                let mark = if l.settled { '✓' } else { '…' };
                clip(&format!("  {mark} {}: {}", l.partner, l.text), self.width - 1)
            })
            .collect();
        if shown < s.block.len() {
            lines.push(format!("  … and {} more partners", s.block.len() - shown));
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

/// Prints events as they come, one whole line each. An object's health is printed when it
/// changes, not on every look (holds and soaks look again and again). On a terminal, a
/// partner's objects still progressing show in `progress`'s live block instead.
pub(crate) fn printer(wait: bool, progress: &Progress) -> impl Fn(Event) + Sync + '_ {
    printer_to(wait, progress, |line| {
        if !super::quiet() {
            progress.line(&line)
        }
    })
}

/// The lines of events, handed to `sink`; on a terminal (`progress` is live), the states of
/// objects still progressing go to the live block instead (piped, every line goes to `sink`,
/// as it always did).
pub(crate) fn printer_to<'p>(
    wait: bool,
    progress: &'p Progress,
    sink: impl Fn(String) + Sync + 'p,
) -> impl Fn(Event) + Sync + 'p {
    let shown: Mutex<std::collections::HashMap<(String, String), String>> = Mutex::default();
    move |e: Event| match e {
        Event::Health { partner, object, health } if wait => {
            let line = health.describe();
            match health {
                Health::Ready => progress.settle(partner, &object, &format!("{object} {line}")),
                _ => progress.status(partner, &object, &format!("{object} {line}")),
            }
            if progress.is_live() && matches!(health, Health::Progressing(_)) {
                return;
            }
            let mut shown = shown.lock().expect("shown");
            if shown.get(&(partner.to_string(), object.clone())) != Some(&line) {
                sink(format!("  {partner}: {object} {line}"));
                shown.insert((partner.to_string(), object), line);
            }
        }
        Event::Applied { object, outcome, .. } => match outcome {
            Outcome::Created => sink(format!("  created  {object}")),
            Outcome::Changed => sink(format!("  changed  {object}")),
            Outcome::Unchanged => {}
        },
        Event::Health { .. } => {}
        Event::Note { partner: "", text } => sink(text),
        Event::Note { partner, text } => sink(format!("  {partner}: {text}")),
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
        p.status("a", "web", "Deployment web progressing: 1 of 2 new replicas updated");
        p.status("b", "web", "Deployment web progressing");
        p.status("b", "web", "Deployment web progressing");
        // Another object of a ready: a's line stays on what is still moving.
        p.settle("a", "a", "Namespace a ready");
        p.settle("b", "web", "Deployment web ready");
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
            // b's Deployment is ready: its line says so.
            up(2),
            "  … a: Deployment web progressing: 1 o…\n  ✓ b: Deployment web ready\n".into(),
            // A line that stays goes above the block, which is drawn again below it.
            up(2),
            "  a: Deployment web ready\n".into(),
            "  … a: Deployment web progressing: 1 o…\n  ✓ b: Deployment web ready\n".into(),
            // a is done; then the block is cleared, and what follows is plain.
            up(2),
            "  ✓ b: Deployment web ready\n".into(),
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
            p.status(&format!("p{i}"), "web", "progressing");
        }
        let last = |b: &Buffer| b.text().rsplit("\x1b[J").next().expect("a last drawing").to_string();
        assert_eq!(last(&buffer).lines().count(), LINES, "{}", last(&buffer));
        assert!(last(&buffer).ends_with("  … and 9 more partners\n"), "{}", last(&buffer));
        // Settled lines make room for those still moving.
        p.settle("p0", "web", "ready");
        p.status("p20", "web", "progressing");
        assert!(!last(&buffer).contains("p0:") && last(&buffer).contains("and 9 more"), "{}", last(&buffer));
    }

    /// The events of one partner's wait, through the printer: (what `sink` got, what the
    /// terminal shows).
    fn printed(live: bool) -> (Vec<String>, String) {
        let buffer = Buffer::default();
        let progress = Progress::new(live, 200, Box::new(buffer.clone()));
        let lines = Mutex::new(Vec::new());
        let print = printer_to(true, &progress, |l| lines.lock().expect("lines").push(l));
        let health = |object: &str, health: Health| Event::Health { partner: "a", object: object.into(), health };
        print(Event::Applied { partner: "a", object: "Deployment a/web".into(), outcome: Outcome::Created });
        print(Event::Applied { partner: "a", object: "Service a/web".into(), outcome: Outcome::Unchanged });
        print(health("Namespace a", Health::Ready));
        print(health("Deployment a/web", Health::Progressing("0 of 1 new replicas updated".into())));
        print(health("Deployment a/web", Health::Progressing("0 of 1 new replicas updated".into())));
        print(health("Deployment a/web", Health::Progressing("0 of 1 updated replicas available".into())));
        print(health("Deployment a/web", Health::Ready));
        print(Event::Note { partner: "a", text: "holding 5s, watching health".into() });
        drop(print);
        (lines.into_inner().expect("lines"), buffer.text())
    }

    #[test]
    fn piped_every_change_is_a_line_as_before() {
        let (lines, screen) = printed(false);
        assert_eq!(
            lines,
            [
                "  created  Deployment a/web",
                "  a: Namespace a ready",
                "  a: Deployment a/web progressing: 0 of 1 new replicas updated",
                "  a: Deployment a/web progressing: 0 of 1 updated replicas available",
                "  a: Deployment a/web ready",
                "  a: holding 5s, watching health",
            ]
        );
        assert_eq!(screen, "", "nothing drawn when piped");
    }

    #[test]
    fn on_a_terminal_progressing_states_are_drawn_in_place() {
        let (lines, screen) = printed(true);
        assert_eq!(
            lines,
            [
                "  created  Deployment a/web",
                "  a: Namespace a ready",
                "  a: Deployment a/web ready",
                "  a: holding 5s, watching health",
            ]
        );
        let drawn: Vec<&str> = screen.split("\x1b[J").map(str::trim_end).collect();
        assert_eq!(
            drawn,
            [
                "  ✓ a: Namespace a ready\n\x1b[1A\r",
                "  … a: Deployment a/web progressing: 0 of 1 new replicas updated\n\x1b[1A\r",
                "  … a: Deployment a/web progressing: 0 of 1 updated replicas available\n\x1b[1A\r",
                "  ✓ a: Deployment a/web ready",
            ]
            .map(str::trim_end)
        );
    }

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("äbcd", 3), "äb…");
    }
}
