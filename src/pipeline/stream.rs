//! Streaming tickets through pipelines: bounded queues, N workers, output in input order, bad records reported in place.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use super::{Outcome, Pipeline};
use crate::error::InputIssue;
use crate::tickets::Record;

/// What a stream produced for one input record.
pub type Item = Result<Outcome, InputIssue>;

/// Builds the pipeline of an extra worker, on that worker's thread.
pub type Factory<'a> = &'a (dyn Fn() -> anyhow::Result<Pipeline> + Sync);

/// Decide every record, calling `emit` for each in input order as soon as it and all before
/// it are done. `first` decides alone until a second record arrives; only then do up to
/// `extra_workers` more workers start, each building its pipeline (a model session) with
/// `make` on its own thread, so a single ticket never pays for sessions it does not use.
/// With `fail_fast` the stream stops after the first bad record.
/// Returns the number of records and of bad ones.
pub fn run(
    records: Box<dyn Iterator<Item = Record> + Send + '_>,
    mut first: Pipeline,
    extra_workers: usize,
    make: Factory<'_>,
    fail_fast: bool,
    mut emit: impl FnMut(Item) -> anyhow::Result<()>,
) -> anyhow::Result<(usize, usize)> {
    let mut total = 0;
    let mut bad = 0;
    if extra_workers == 0 {
        for record in records {
            total += 1;
            let item = match record {
                Ok(ticket) => Ok(first.process(&ticket)?),
                Err(issue) => Err(issue),
            };
            let failed = item.is_err();
            bad += usize::from(failed);
            emit(item)?;
            if failed && fail_fast {
                break;
            }
        }
        return Ok((total, bad));
    }

    let workers = extra_workers + 1;
    let mut first = Some(first);
    std::thread::scope(|scope| -> anyhow::Result<(usize, usize)> {
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Record)>(workers * 4);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (done_tx, done_rx) = mpsc::sync_channel::<(usize, anyhow::Result<Item>)>(workers * 4);
        let mut starters = Vec::new();
        for k in 0..workers {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            let (start_tx, start_rx) = mpsc::channel::<()>();
            let mut pipeline = if k == 0 { first.take() } else { None };
            if k > 0 {
                starters.push(start_tx);
            }
            scope.spawn(move || {
                let mut pipeline = match pipeline.take() {
                    Some(p) => p,
                    None => {
                        // Wait until there is a second record; no second record, no session.
                        if start_rx.recv().is_err() {
                            return;
                        }
                        match make() {
                            Ok(p) => p,
                            Err(err) => {
                                eprintln!("kbctl: warning: worker {k} could not start ({err:#}); going on with fewer");
                                return;
                            }
                        }
                    }
                };
                loop {
                    let next = rx.lock().map(|r| r.recv());
                    let Ok(Ok((seq, record))) = next else { break };
                    let result = match record {
                        Ok(ticket) => pipeline.process(&ticket).map(Ok),
                        Err(issue) => Ok(Err(issue)),
                    };
                    if tx.send((seq, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        scope.spawn(move || {
            let mut starters = Some(starters);
            for (seq, record) in records.enumerate() {
                if work_tx.send((seq, record)).is_err() {
                    break;
                }
                if seq == 1 {
                    for start in starters.take().into_iter().flatten() {
                        let _ = start.send(());
                    }
                }
            }
            // Fewer than two records: dropping the starters lets the idle workers exit.
        });
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (seq, result) in done_rx {
            pending.insert(seq, result);
            while let Some(result) = pending.remove(&next) {
                next += 1;
                total += 1;
                let item = result?;
                let failed = item.is_err();
                bad += usize::from(failed);
                emit(item)?;
                if failed && fail_fast {
                    // Dropping the receiver stops the workers and the reader.
                    return Ok((total, bad));
                }
            }
        }
        Ok((total, bad))
    })
}
