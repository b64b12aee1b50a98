//! The exit-code contract every subcommand keeps, in one place so scripts and CI can rely on it.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success |
//! | 1 | the run was fine and its verdict is negative: a gate or a baseline comparison failed, `doctor` found a problem |
//! | 2 | the run could not be judged: a usage, configuration or input error, or an internal error |
//! | 3 | some input records were skipped (each reported on stderr); the rest succeeded and no gate failed |
//!
//! This follows grep and ripgrep (1 is an answer, 2 is trouble) and keeps clap's own exit code 2
//! for usage errors, so a CI step can tell a failed gate from a broken run by the code alone.
//! A panic is caught in `main` and reported as code 2: 101 never escapes.

use std::process::ExitCode;

/// Everything went through.
pub const SUCCESS: u8 = 0;
/// A gate, a baseline comparison or a `doctor` check failed; the run itself was sound.
pub const FAILED: u8 = 1;
/// The run could not be judged: usage, configuration, input or internal error.
pub const ERROR: u8 = 2;
/// Some input records were skipped and reported; everything else succeeded.
pub const SKIPPED: u8 = 3;

/// The code for a finished run: a failed verdict wins over skipped records.
pub fn outcome(failed: bool, skipped: bool) -> ExitCode {
    ExitCode::from(if failed {
        FAILED
    } else if skipped {
        SKIPPED
    } else {
        SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_verdict_wins_over_skipped_records() {
        assert_eq!(outcome(true, true), ExitCode::from(FAILED));
        assert_eq!(outcome(false, true), ExitCode::from(SKIPPED));
        assert_eq!(outcome(false, false), ExitCode::from(SUCCESS));
    }
}
