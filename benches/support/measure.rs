//! Running a child process and measuring it exactly: wall time around spawn and reap, and the
//! child's own peak resident set size from the kernel (`wait4`'s rusage), not a sampled guess.

use std::fs::File;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// One measured run.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub wall: Duration,
    /// CPU time, user plus system: unlike wall time, barely moved by other work on the machine.
    pub cpu: Duration,
    /// Peak resident set size of the child, in KiB (`ru_maxrss`).
    pub max_rss_kib: u64,
}

/// Several runs of one scenario.
#[derive(Clone, Debug)]
pub struct Summary {
    pub samples: Vec<Sample>,
}

impl Summary {
    pub fn median(&self) -> Duration {
        let mut walls: Vec<Duration> = self.samples.iter().map(|s| s.wall).collect();
        walls.sort();
        let mid = walls.len() / 2;
        if walls.len() % 2 == 1 {
            walls[mid]
        } else {
            (walls[mid - 1] + walls[mid]) / 2
        }
    }

    /// The median CPU time (user plus system).
    pub fn median_cpu(&self) -> Duration {
        let mut cpu: Vec<Duration> = self.samples.iter().map(|s| s.cpu).collect();
        cpu.sort();
        cpu.get(cpu.len() / 2).copied().unwrap_or_default()
    }

    pub fn min(&self) -> Duration {
        self.samples
            .iter()
            .map(|s| s.wall)
            .min()
            .unwrap_or_default()
    }

    pub fn max(&self) -> Duration {
        self.samples
            .iter()
            .map(|s| s.wall)
            .max()
            .unwrap_or_default()
    }

    /// The highest peak RSS of any run, in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        let kib = self
            .samples
            .iter()
            .map(|s| s.max_rss_kib)
            .max()
            .unwrap_or(0);
        kib as f64 / 1024.0
    }
}

/// Runs `command` to completion with its output sent to `log`, and measures it. A run that
/// exits non-zero is an error carrying the log's end; one that outlives `timeout` is killed.
pub fn run(command: &mut Command, log: &Path, timeout: Duration) -> io::Result<Sample> {
    let out = File::create(log)?;
    let err = out.try_clone()?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err));
    // Flush dirty pages left by the previous step (a deleted output folder) so its write-back
    // is not billed to this run.
    unsafe { libc::sync() };
    let start = Instant::now();
    let child = command.spawn()?;
    let (status, sample) = reap(child.id(), start, timeout)?;
    if status != 0 {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(io::Error::other(format!(
            "{command:?} exited with {status}; the end of {}:\n{}",
            log.display(),
            tail.join("\n")
        )));
    }
    Ok(sample)
}

/// Waits for child `pid` with `wait4`, killing it if it outlives `timeout`. Returns its exit
/// code (128 + signal when killed) and the measured sample, timed from `start`.
pub fn reap(pid: u32, start: Instant, timeout: Duration) -> io::Result<(i32, Sample)> {
    let pid = pid as libc::pid_t;
    let (reaped, guard) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if guard.recv_timeout(timeout) == Err(mpsc::RecvTimeoutError::Timeout) {
            eprintln!("!! a measured process ran past {timeout:?}; killing it");
            // Until wait4 below reaps it, `pid` is our child or its zombie; the only window
            // for reuse is the instant between that reap and the send, at the guard's end.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    let mut status: libc::c_int = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let result = loop {
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == -1 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        break rc;
    };
    let wall = start.elapsed();
    let _ = reaped.send(());
    let _ = watchdog.join();
    if result == -1 {
        return Err(io::Error::last_os_error());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Ok((
        code,
        Sample {
            wall,
            cpu: timeval(usage.ru_utime) + timeval(usage.ru_stime),
            max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        },
    ))
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
        + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
}

/// How many files are below `dir`.
pub fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => count_files(&entry.path()),
            Ok(_) => 1,
            Err(_) => 0,
        })
        .sum()
}

/// Removes `dir` and everything in it, if it exists.
pub fn remove(dir: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
