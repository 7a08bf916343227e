//! Work spread over threads, with results the same on every run: [`in_order`] (items made on
//! worker threads, consumed in order on the calling thread, a bounded number in flight),
//! [`ordered`] (the same for byte buffers, which are reused) and [`each`] (items made and
//! finished by the workers themselves, as they are ready).
//!
//! Work is taken in increasing index order and no more is taken after the first error, so the
//! error reported is always the one of the lowest index.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

/// Worker threads to use: the processors available, at most 8.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8)
}

/// What a worker sends back: the index and what making it gave (or its panic).
type Made<T, E> = (usize, std::thread::Result<Result<T, E>>);

/// Makes items `0..count` with `make(state, i)` on worker threads (each with its own `state`
/// from `init`) and hands them, in order of `i`, to `consume` on the calling thread. At most two
/// items per worker are made and not yet consumed. Returns the first error in order (of `make`
/// or `consume`); a panic in a worker is resumed on the calling thread.
pub fn in_order<S, T: Send, E: Send>(
    count: usize,
    init: impl Fn() -> S + Sync,
    make: impl Fn(&mut S, usize) -> Result<T, E> + Sync,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let workers = workers().min(count);
    if workers <= 1 {
        let mut state = init();
        return (0..count).try_for_each(|i| consume(make(&mut state, i)?));
    }
    let next = AtomicUsize::new(0);
    // Tokens: a worker takes one before an index, the consumer gives it back.
    let (token_tx, token_rx) = mpsc::channel::<()>();
    for _ in 0..2 * workers {
        let _ = token_tx.send(());
    }
    let token_rx = Mutex::new(token_rx);
    let (done_tx, done_rx) = mpsc::channel::<Made<T, E>>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (next, token_rx, init, make) = (&next, &token_rx, &init, &make);
            scope.spawn(move || {
                let mut state = None;
                loop {
                    // A token first, then an index: the lowest index not yet consumed always
                    // has its token, so the consumer never waits on a worker waiting on it.
                    let Ok(Ok(())) = token_rx.lock().map(|rx| rx.recv()) else { break };
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let made = panic::catch_unwind(AssertUnwindSafe(|| make(state.get_or_insert_with(init), i)));
                    let failed = !matches!(made, Ok(Ok(_)));
                    if done_tx.send((i, made)).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<usize, std::thread::Result<Result<T, E>>> = BTreeMap::new();
        let mut result = Ok(());
        for i in 0..count {
            let made = loop {
                if let Some(made) = pending.remove(&i) {
                    break made;
                }
                // Every index taken is sent back (workers stop only after sending a failure,
                // which comes first in order), so this returns while the loop needs it.
                let Ok((j, made)) = done_rx.recv() else { unreachable!("index {i} was never made") };
                pending.insert(j, made);
            };
            match made {
                Ok(made) => result = made.and_then(&mut consume),
                Err(payload) => {
                    next.store(count, Ordering::Relaxed);
                    drop(token_tx);
                    panic::resume_unwind(payload)
                }
            }
            if result.is_err() {
                break;
            }
            let _ = token_tx.send(());
        }
        // Stop the workers: no more indices, no more tokens.
        next.store(count, Ordering::Relaxed);
        drop(token_tx);
        drop(done_rx);
        result
    })
}

/// Makes pieces `0..count` with `make(i, buffer)` on worker threads and writes each buffer, in
/// order, with `consume` on the calling thread. Buffers are reused, so after the first rounds
/// no new memory is touched however many pieces there are.
pub fn ordered<E: Send>(
    count: usize,
    make: impl Fn(usize, &mut Vec<u8>) -> Result<(), E> + Sync,
    mut consume: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let pool: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    in_order(
        count,
        || (),
        |(), i| {
            let mut buf = pool.lock().map(|mut p| p.pop()).ok().flatten().unwrap_or_default();
            buf.clear();
            make(i, &mut buf).map(|()| buf)
        },
        |buf| {
            consume(&buf)?;
            if let Ok(mut p) = pool.lock() {
                p.push(buf);
            }
            Ok(())
        },
    )
}

/// Runs `work(i)` for every `i` in `0..count` on worker threads, as they are free. Returns the
/// error of the lowest failing index (work is taken in order and stops after a failure, and
/// every index below a failure is finished, so that is the same on every run).
pub fn each<E: Send>(count: usize, work: impl Fn(usize) -> Result<(), E> + Sync) -> Result<(), E> {
    let workers = workers().min(count);
    if workers <= 1 {
        return (0..count).try_for_each(work);
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let errors: Mutex<Vec<(usize, E)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    while !stop.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            break;
                        }
                        if let Err(e) = work(i) {
                            stop.store(true, Ordering::Relaxed);
                            errors.lock().unwrap_or_else(|p| p.into_inner()).push((i, e));
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            if let Err(payload) = h.join() {
                panic::resume_unwind(payload);
            }
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    match errors.into_iter().min_by_key(|(i, _)| *i) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}
