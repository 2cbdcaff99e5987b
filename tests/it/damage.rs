//! Damage and hostility aimed at what folio keeps and prints: a search
//! index or a snapshot with flipped bytes is rebuilt, never served; a
//! full cache disk still searches; names cannot drive the terminal; a
//! link swapped while a corpus loads never leads a read outside it.

use crate::common;

use std::path::{Path, PathBuf};

/// Copies the bundled corpus into `dir` (its own cache key).
fn bundled_copy(dir: &Path) -> PathBuf {
    let root = dir.join("corpus");
    common::copy_tree(&common::documents(), &root);
    root
}

/// Flips bytes in the middle of every file under `dir` whose name ends in
/// `suffix`; returns how many files it damaged.
fn flip(dir: &Path, suffix: &str) -> usize {
    let mut damaged = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                let mut bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
                if bytes.len() < 8 {
                    continue;
                }
                let middle = bytes.len() / 2;
                for byte in &mut bytes[middle - 2..middle + 2] {
                    *byte ^= 0xA5;
                }
                std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
                damaged += 1;
            }
        }
    }
    damaged
}

#[test]
fn a_damaged_search_index_is_rebuilt_never_served() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = bundled_copy(dir.path());
    let cache = dir.path().join("cache");
    let root_text = root.to_string_lossy().into_owned();
    let search = || common::folio_with_cache(&["search", &root_text, "Stalin", "--json"], &cache);
    let first = search();
    assert!(first.status.success(), "{first:?}");
    let expected = common::stdout(&first);
    assert!(!expected.is_empty());
    for suffix in [".idx", ".fast", ".term", ".pos", ".store"] {
        assert!(flip(&cache, suffix) > 0, "no {suffix} file to damage");
        let again = search();
        assert_eq!(
            again.status.code(),
            Some(0),
            "{suffix} damaged: {}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert_eq!(
            common::stdout(&again),
            expected,
            "{suffix} damaged: other hits"
        );
    }
}

#[test]
fn a_damaged_snapshot_is_never_served() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = bundled_copy(dir.path());
    let cache = dir.path().join("cache");
    let root_text = root.to_string_lossy().into_owned();
    let list = || common::folio_with_cache(&["list", &root_text, "--json"], &cache);
    let expected = common::stdout(&list());
    assert!(expected.contains("Letter"), "{expected}");
    // The snapshot is written after the first open: change a word in it.
    let mut changed = 0;
    let mut stack = vec![cache.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains("snapshot"))
            {
                let mut bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
                let found = bytes.windows(6).position(|w| w == b"Letter");
                if let Some(at) = found {
                    bytes[at..at + 6].copy_from_slice(b"LETTER");
                    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
                    changed += 1;
                }
            }
        }
    }
    assert_eq!(changed, 1, "no snapshot to damage");
    for _ in 0..2 {
        assert_eq!(
            common::stdout(&list()),
            expected,
            "the damaged snapshot was served"
        );
    }
}

#[test]
fn a_full_cache_disk_still_searches() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = bundled_copy(dir.path());
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(&cache).unwrap_or_else(|e| panic!("{e}"));
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&cache)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    {
        use std::io::Write as _;
        let mut filler =
            std::fs::File::create(cache.join("filler")).unwrap_or_else(|e| panic!("{e}"));
        let block = vec![0u8; 64 * 1024];
        while filler.write_all(&block).is_ok() {}
    }
    let root_text = root.to_string_lossy().into_owned();
    let output = common::folio_with_cache(&["search", &root_text, "Stalin", "--json"], &cache);
    let _ = std::process::Command::new("umount")
        .arg("-l")
        .arg(&cache)
        .status();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !common::json_lines(&output).is_empty(),
        "no hits from memory"
    );
}

#[test]
fn names_cannot_drive_the_terminal_or_forge_lines() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    common::write(
        &root,
        "evil\u{1b}[31mred\nfolio: 0 errors.txt",
        "Title \u{1b}]0;owned\u{7}\n\nBody.\n",
    );
    let root_text = root.to_string_lossy().into_owned();
    for args in [
        vec!["list", root_text.as_str()],
        vec!["check", root_text.as_str()],
        vec!["search", root_text.as_str(), "Body"],
    ] {
        let output = common::folio(&args);
        for stream in [&output.stdout, &output.stderr] {
            assert!(
                !stream.iter().any(|&b| b == 0x1b || b == 0x07),
                "{args:?}: raw escapes printed: {:?}",
                String::from_utf8_lossy(stream)
            );
            assert!(
                !String::from_utf8_lossy(stream)
                    .lines()
                    .any(|l| l.starts_with("folio: 0 errors")),
                "{args:?}: a forged line"
            );
        }
    }
    let listed = common::stdout(&common::folio(&["list", &root_text]));
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.contains("\\u001b"), "{listed}");
    // JSON stays JSON with controls serde leaves as they are (C1, bidi):
    // "phænomena" mis-encoded as U+0086 in a real manifest.
    common::write(&root, "c1.txt", "Ph\u{86}nomena \u{202e}rtl\n\nBody.\n");
    for args in [
        vec!["show", root_text.as_str(), "c1", "--json"],
        vec!["list", root_text.as_str(), "--json"],
    ] {
        let output = common::stdout(&common::folio(&args));
        for line in if args[0] == "show" {
            vec![output.clone()]
        } else {
            output.lines().map(str::to_owned).collect()
        } {
            let value: Result<serde_json::Value, _> = serde_json::from_str(&line);
            assert!(value.is_ok(), "{args:?}: not JSON: {line}");
        }
        assert!(
            !output.contains('\u{86}') && !output.contains('\u{202e}'),
            "{output}"
        );
    }
}

#[test]
fn a_link_swapped_during_loads_never_reads_outside() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    let outside = dir.path().join("outside");
    common::write(
        &root,
        "inside/letter.txt",
        "Inside\n\nThe corpus's own letter.\n",
    );
    common::write(&outside, "letter.txt", "Secret\n\nOUTSIDE-SECRET text.\n");
    let link = root.join("shelf");
    std::os::unix::fs::symlink(".shelved", &link).unwrap_or_else(|e| panic!("{e}"));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        let (root, outside) = (root.clone(), outside.clone());
        std::thread::spawn(move || {
            let mut flip = false;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let target = if flip {
                    outside.clone()
                } else {
                    PathBuf::from("inside")
                };
                flip = !flip;
                let staged = root.join(".shelf-next");
                let _ = std::fs::remove_file(&staged);
                if std::os::unix::fs::symlink(&target, &staged).is_ok() {
                    // Atomic: the link is always there, pointing one way.
                    let _ = std::fs::rename(&staged, root.join("shelf"));
                }
            }
        })
    };
    let mut leaked = 0;
    let mut read_inside = 0;
    for _ in 0..150 {
        let Ok(corpus) =
            folio::corpus::load(&root, &folio::corpus::LoadOptions::default(), &|_| {})
        else {
            continue;
        };
        leaked += corpus
            .documents
            .iter()
            .filter(|d| d.layers.iter().any(|l| l.text.contains("OUTSIDE-SECRET")))
            .count();
        read_inside += corpus
            .documents
            .iter()
            .filter(|d| d.layers.iter().any(|l| l.text.contains("own letter")))
            .count();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = swapper.join();
    assert!(
        read_inside > 0,
        "the letter was never read through the link"
    );
    assert_eq!(leaked, 0, "text from outside the corpus was read");
}

#[test]
fn a_link_swapped_between_the_walk_and_the_read_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    let outside = dir.path().join("outside");
    common::write(
        &root,
        ".shelved/letter.txt",
        "Inside\n\nThe corpus's own letter.\n",
    );
    common::write(&outside, "letter.txt", "Secret\n\nOUTSIDE-SECRET text.\n");
    let swap = |target: &Path| {
        let staged = root.join(".shelf-next");
        let _ = std::fs::remove_file(&staged);
        std::os::unix::fs::symlink(target, &staged).unwrap_or_else(|e| panic!("{e}"));
        std::fs::rename(&staged, root.join("shelf")).unwrap_or_else(|e| panic!("{e}"));
    };
    swap(Path::new(".shelved"));
    // The walk sees the link inside; just as parsing starts, it is swapped
    // to point outside (what a swap loop hits by chance, made certain).
    let swapped = std::sync::atomic::AtomicBool::new(false);
    let corpus = folio::corpus::load(
        &root,
        &folio::corpus::LoadOptions {
            threads: 1,
            ..folio::corpus::LoadOptions::default()
        },
        &|progress| {
            if progress.phase == folio::corpus::Phase::Parsing
                && !swapped.swap(true, std::sync::atomic::Ordering::Relaxed)
            {
                swap(&outside);
            }
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(swapped.load(std::sync::atomic::Ordering::Relaxed));
    assert!(
        !corpus
            .documents
            .iter()
            .any(|d| d.layers.iter().any(|l| l.text.contains("OUTSIDE-SECRET"))),
        "text from outside the corpus was read"
    );
    assert!(
        corpus
            .errors
            .iter()
            .any(|e| e.to_string().contains("outside the corpus")),
        "the refusal is said: {:?}",
        corpus.errors
    );
}
