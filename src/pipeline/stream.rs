//! Streaming tickets through pipelines: bounded queues, N workers, output in input order, bad records reported in place.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use super::{Outcome, Pipeline};
use crate::error::InputIssue;
use crate::tickets::Record;

/// What a stream produced for one input record.
pub type Item = Result<Outcome, InputIssue>;

/// Decide every record, calling `emit` for each in input order as soon as it and all before
/// it are done. With `fail_fast` the stream stops after the first bad record.
/// Returns the number of records and of bad ones.
pub fn run(
    records: Box<dyn Iterator<Item = Record> + Send + '_>,
    mut pipelines: Vec<Pipeline>,
    fail_fast: bool,
    mut emit: impl FnMut(Item) -> anyhow::Result<()>,
) -> anyhow::Result<(usize, usize)> {
    let mut total = 0;
    let mut bad = 0;
    if pipelines.len() <= 1 {
        let Some(mut pipeline) = pipelines.pop() else {
            anyhow::bail!("internal: no pipeline");
        };
        for record in records {
            total += 1;
            let item = match record {
                Ok(ticket) => Ok(pipeline.process(&ticket)?),
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

    let workers = pipelines.len();
    std::thread::scope(|scope| -> anyhow::Result<(usize, usize)> {
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Record)>(workers * 4);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (done_tx, done_rx) = mpsc::sync_channel::<(usize, anyhow::Result<Item>)>(workers * 4);
        for mut pipeline in pipelines {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            scope.spawn(move || {
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
            for (seq, record) in records.enumerate() {
                if work_tx.send((seq, record)).is_err() {
                    break;
                }
            }
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
