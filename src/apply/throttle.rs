//! How fast bdc talks to an API server: at most `qps` requests a second from this process (a
//! client-side rate limit, set once by the command line), and a request the server refuses
//! with `429 Too Many Requests` (its own limit, or API Priority and Fairness) is retried after
//! the delay the server asks for, or a growing one.

use std::future::Future;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Attempts of one request refused with 429.
const ATTEMPTS: u32 = 8;

struct Limit {
    interval: Duration,
    next: Mutex<Instant>,
}

static LIMIT: OnceLock<Limit> = OnceLock::new();

/// Limits this process to `qps` requests a second (0: no limit). The first call wins.
pub fn set_qps(qps: u32) {
    if qps > 0 {
        let _ = LIMIT.set(Limit { interval: Duration::from_secs(1) / qps, next: Mutex::new(Instant::now()) });
    }
}

/// Waits for this request's turn under the rate limit.
async fn turn() {
    let Some(limit) = LIMIT.get() else { return };
    let at = {
        let mut next = limit.next.lock().expect("rate limit");
        let now = Instant::now();
        let at = (*next).max(now);
        *next = at + limit.interval;
        at
    };
    tokio::time::sleep_until(at.into()).await;
}

/// Runs a request under the rate limit, retrying it while the server answers 429.
pub async fn call<T, F, Fut>(request: F) -> Result<T, kube::Error>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, kube::Error>>,
{
    let mut attempt = 0;
    loop {
        turn().await;
        match request().await {
            Err(kube::Error::Api(s)) if s.code == 429 && attempt + 1 < ATTEMPTS => {
                let asked = s.details.as_ref().map_or(0, |d| d.retry_after_seconds);
                let wait = if asked > 0 {
                    Duration::from_secs(u64::from(asked))
                } else {
                    Duration::from_millis(100 << attempt.min(5))
                };
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}
