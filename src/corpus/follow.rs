//! Following a corpus folder: when to look again, and whether anything
//! the corpus was read from changed. Polling the stamps of every file
//! works on every file system (network and FUSE mounts included, where
//! inotify is silent) at a bounded cost: a check may take at most a
//! twentieth of the time, so a large corpus on a slow drive is looked at
//! less often. What to do on a change (open again, update indexes) is
//! the caller's: the window's loader, a benchmark.

use std::path::Path;
use std::time::{Duration, Instant};

use super::Sources;

/// How often the folder is checked for changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Follow {
    /// The shortest wait between two checks.
    pub every: Duration,
}

impl Default for Follow {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(2),
        }
    }
}

/// A check may take at most this share of the time.
const CHECK_SHARE: u32 = 20;
/// The longest wait between two checks.
const LONGEST_WAIT: Duration = Duration::from_mins(1);

impl Follow {
    /// The wait before the next check, after one that took `check`.
    pub fn wait_after(&self, check: Duration) -> Duration {
        (check * CHECK_SHARE).clamp(self.every, LONGEST_WAIT)
    }
}

/// What a look at the folder found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// Every stamp holds.
    Unchanged,
    /// A file was added, changed or removed.
    Changed,
    /// Told to stop while waiting.
    Stopped,
}

/// Follows one folder: waits, looks, and paces itself.
#[derive(Debug)]
pub struct Follower {
    policy: Follow,
    wait: Duration,
    /// When the last look began (what reading the changes took counts too).
    started: Instant,
}

impl Follower {
    pub fn new(policy: Follow) -> Self {
        Self {
            policy,
            wait: policy.every,
            started: Instant::now(),
        }
    }

    /// Waits with `sleep` (false: stop), then checks every stamp of
    /// `sources` against the folder `root`. A panic while checking counts
    /// as unchanged (looked at again next time).
    pub fn look(
        &mut self,
        root: &Path,
        sources: &Sources,
        sleep: impl FnOnce(Duration) -> bool,
    ) -> Look {
        if !sleep(self.wait) {
            return Look::Stopped;
        }
        self.started = Instant::now();
        let current =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sources.is_current(root)))
                .unwrap_or(true);
        self.wait = self.policy.wait_after(self.started.elapsed());
        if current {
            Look::Unchanged
        } else {
            Look::Changed
        }
    }

    /// After the changes were read: the time that took counts too, so a
    /// folder that changes all the time cannot keep the reader busy.
    pub fn read_done(&mut self) {
        self.wait = self.policy.wait_after(self.started.elapsed());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_take_a_twentieth_of_the_time_at_most() {
        let follow = Follow::default();
        assert_eq!(follow.wait_after(Duration::from_millis(10)), follow.every);
        assert_eq!(
            follow.wait_after(Duration::from_millis(500)),
            Duration::from_secs(10)
        );
        assert_eq!(follow.wait_after(Duration::from_secs(30)), LONGEST_WAIT);
        let mut follower = Follower::new(follow);
        let sources = Sources::default();
        assert_eq!(
            follower.look(Path::new("/nonexistent"), &sources, |_| false),
            Look::Stopped
        );
    }
}
