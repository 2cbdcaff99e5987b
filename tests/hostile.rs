//! A hostile corpus, generated here (nothing large is committed): the
//! damaged, malicious and merely odd entries of the reliability issue.
//! Each becomes a clear per-entry error or a safe refusal, every good
//! document still loads, loading and decoding every page end, peak memory
//! stays bounded, and nothing in the folder is written.
//!
//! One test in its own binary, so that the peak-memory mark measures it
//! alone.

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use common::write;
use folio::corpus::{self, LoadOptions};

/// How long loading (or decoding every page) may take before the test
/// calls it a hang: generous, this is not a speed test.
const HANG: Duration = Duration::from_mins(2);

/// Peak memory the whole test may reach (it measures about 80 MB). The
/// corpus holds two 500 MB sparse files and a PNG header claiming 10
/// gigapixels; reading any of them whole would blow far past this.
const PEAK_RSS_LIMIT_MB: f64 = 256.0;

/// A PNG whose header (with a valid checksum) claims `width`×`height`.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&folio::tools::synth::crc32(&ihdr).to_be_bytes());
    // A little compressed data that would expand without end.
    let idat = [b"IDAT".as_slice(), &[0x78, 0x9C, 0xED, 0xC1, 0x01, 0x0D]].concat();
    png.extend_from_slice(&((idat.len() - 4) as u32).to_be_bytes());
    png.extend_from_slice(&idat);
    png.extend_from_slice(&folio::tools::synth::crc32(&idat).to_be_bytes());
    png
}

/// A little-endian TIFF claiming 100000×100000 pixels in one Deflate strip.
fn tiff_bomb() -> Vec<u8> {
    let entries = [
        (256, 4, 1, 100_000), // width
        (257, 4, 1, 100_000), // height
        (258, 3, 1, 8),       // bits per sample
        (259, 3, 1, 8),       // compression: Deflate
        (262, 3, 1, 1),       // black is zero
        (273, 4, 1, 200),     // strip offset
        (279, 4, 1, 64),      // strip byte count
    ];
    let mut strip = vec![0u8; 64];
    strip[..2].copy_from_slice(&[0x78, 0x9C]);
    common::tiff_bytes(&entries, 200, &strip)
}

fn encoded(format: image::ImageFormat) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, format)
        .unwrap_or_else(|e| panic!("{e}"));
    bytes.into_inner()
}

fn sparse(path: &Path, len: u64) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}"));
    file.set_len(len).unwrap_or_else(|e| panic!("{e}"));
}

/// What must load: a clip, and a document whose damaged pages must each
/// fail alone.
fn loadable_files(root: &Path) {
    write(
        root,
        "good-clip.txt",
        "April 22, 1945\nA good letter\n\nDear friend, all is well here.\n",
    );
    write(
        root,
        "good/document.toml",
        "title = \"A good document with damaged pages\"\ndate = \"1946-03\"\n\
         [[pages]]\nimage = \"scan/001.png\"\n\
         [[pages]]\nimage = \"scan/truncated.jpg\"\n\
         [[pages]]\nimage = \"scan/truncated.png\"\n\
         [[pages]]\nimage = \"scan/claims-10-gigapixels.png\"\n\
         [[pages]]\nimage = \"scan/bomb.tif\"\n\
         [[pages]]\nimage = \"scan/sparse-500mb.jpg\"\n\
         [[pages]]\nimage = \"scan/noise.jpg\"\n\
         [[pages]]\nimage = \"scan/truncated.tif\"\n\
         [[pages]]\nimage = \"scan/truncated.pdf\"\n",
    );
    write(root, "good/original.en.md", "A good document.\n");
    write(root, "good/scan/001.png", encoded(image::ImageFormat::Png));
    let jpeg = encoded(image::ImageFormat::Jpeg);
    write(root, "good/scan/truncated.jpg", &jpeg[..jpeg.len() / 3]);
    let png = encoded(image::ImageFormat::Png);
    write(root, "good/scan/truncated.png", &png[..png.len() / 3]);
    write(
        root,
        "good/scan/claims-10-gigapixels.png",
        png_claiming(100_000, 100_000),
    );
    write(root, "good/scan/bomb.tif", tiff_bomb());
    sparse(&root.join("good/scan/sparse-500mb.jpg"), 500 << 20);
    write(root, "good/scan/noise.jpg", b"\xFF\xD8\xFF\xE0 not really");
    let tiff = {
        let mut bytes = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(300, 200, image::Rgb([200, 190, 170]))
            .write_to(&mut bytes, image::ImageFormat::Tiff)
            .unwrap_or_else(|e| panic!("{e}"));
        bytes.into_inner()
    };
    write(root, "good/scan/truncated.tif", &tiff[..tiff.len() / 3]);
    write(
        root,
        "good/scan/truncated.pdf",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Pa",
    );
    write(root, "loose/0001.en.txt", "A loose page.\n");
    write(root, "loose/0001.jpg", &jpeg);
    write(
        root,
        "utf16le.txt",
        b"\xFF\xFET\0i\0t\0l\0e\0\n\0\n\0O\0K\0\n\0",
    );
    write(
        root,
        "utf16be.txt",
        b"\xFE\xFF\0T\0i\0t\0l\0e\0\n\0\n\0O\0K\0\n",
    );
}

/// Writes the hostile corpus; returns the paths (relative) that must each
/// have an error, with a word of the expected reason.
fn hostile_corpus(root: &Path) -> Vec<(&'static str, &'static str)> {
    loadable_files(root);
    // What must be refused, each with its reason.
    write(root, "zero.txt", "");
    write(root, "invalid-utf8.txt", b"Caf\xe9 \xff\xfe au lait\n");
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write(root, "noise.txt", &noise);
    write(root, "noise.md", &noise);
    write(root, "noise-toml/document.toml", &noise);
    write(root, "noise-csv/metadata.csv", &noise);
    write(root, "noise-csv/0001.txt", "A page.\n");
    sparse(&root.join("sparse-500mb.txt"), 500 << 20);
    let mut deep = PathBuf::from("deep");
    for level in 0..70 {
        deep.push(format!("{level}"));
    }
    write(
        root,
        &deep.join("bottom.txt").to_string_lossy(),
        "Bottom\n\nText.\n",
    );
    write(
        root,
        "billion-laughs.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n\
         <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n\
         <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n\
         <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n\
         ]>\n<TEI><text>&lol3;</text></TEI>\n",
    );
    write(
        root,
        "xxe.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n\
         <TEI><text>&xxe;</text></TEI>\n",
    );
    write(
        root,
        "laughs-alto.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE alto [\n<!ENTITY a \"aaaaaaaaaa\">\n\
         <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n\
         <alto><Layout><Page><PrintSpace><TextBlock><TextLine><String CONTENT=\"&c;\"/>\
         </TextLine></TextBlock></PrintSpace></Page></Layout></alto>\n",
    );
    write(
        root,
        "xxe-page.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE PcGts [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n\
         <PcGts><Page imageFilename=\"/etc/passwd\"><TextRegion><TextLine><TextEquiv>\
         <Unicode>&xxe;</Unicode></TextEquiv></TextLine></TextRegion></Page></PcGts>\n",
    );
    write(
        root,
        "laughs-mets.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE mets [<!ENTITY a \"aaaaaaaaaa\">\n\
         <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n\
         <mets:mets xmlns:mets=\"http://www.loc.gov/METS/\"><mets:fileSec>&b;</mets:fileSec></mets:mets>\n",
    );
    // A METS book whose pages point out of the corpus: no page is taken.
    write(
        root,
        "escaping-mets/mets.xml",
        "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\
         <mets:fileSec><mets:fileGrp USE=\"IMG\">\
         <mets:file ID=\"a\" MIMETYPE=\"image/jpeg\"><mets:FLocat xlink:href=\"../../../../etc/passwd\"/></mets:file>\
         <mets:file ID=\"b\" MIMETYPE=\"image/jpeg\"><mets:FLocat xlink:href=\"/etc/passwd\"/></mets:file>\
         </mets:fileGrp></mets:fileSec><mets:structMap TYPE=\"PHYSICAL\"><mets:div TYPE=\"page\">\
         <mets:fptr FILEID=\"a\"/><mets:fptr FILEID=\"b\"/></mets:div></mets:structMap></mets:mets>",
    );
    write(
        root,
        "escaping-page.xml",
        "<PcGts><Page imageFilename=\"../../../../etc/passwd\"><TextRegion><TextLine>\
         <TextEquiv><Unicode>A line</Unicode></TextEquiv></TextLine></TextRegion></Page></PcGts>",
    );
    write(
        root,
        "manifest.json",
        "{\"@context\": \"http://iiif.io/api/presentation/3/context.json\", \"type\": \"Manifest\", \
         \"items\": [{\"type\": \"Canvas\", \"id\": \"file:///etc/passwd\"}]}",
    );
    write(
        root,
        "wrong-types/document.toml",
        "title = [\"a\", \"list\"]\ndate = 1945\npeople = \"nobody\"\n",
    );
    write(
        root,
        "escape/document.toml",
        "title = \"x\"\n[[layers]]\nfile = \"../../../../etc/passwd\"\n",
    );
    write(
        root,
        "absolute/document.toml",
        "title = \"x\"\n[[pages]]\nimage = \"/etc/passwd\"\n",
    );
    write(
        root,
        "url/document.toml",
        "title = \"x\"\n[[pages]]\nimage = \"file:///etc/passwd\"\n",
    );
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(root, root.join("loop"));
        let _ = std::os::unix::fs::symlink("/etc", root.join("outside"));
        let _ = std::os::unix::fs::symlink("/etc/passwd", root.join("passwd.txt"));
    }
    let mut expected = vec![
        ("zero.txt", "empty file"),
        ("invalid-utf8.txt", "not valid UTF-8"),
        ("noise.txt", "binary content"),
        ("noise.md", "binary content"),
        ("noise-toml/document.toml", "binary content"),
        ("noise-csv/metadata.csv", "binary content"),
        ("sparse-500mb.txt", "64 MiB limit"),
        (
            "deep/0/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20/21/22/23/24/25/26/27/28/29/30/31/32/33/34/35/36/37/38/39/40/41/42/43/44/45/46/47/48/49/50/51/52/53/54/55/56/57/58/59/60/61/62/63",
            "nested deeper",
        ),
        ("billion-laughs.xml", "not well-formed XML"),
        ("xxe.xml", "not well-formed XML"),
        ("laughs-alto.xml", "not well-formed XML"),
        ("xxe-page.xml", "not well-formed XML"),
        ("laughs-mets.xml", "not well-formed XML"),
        ("wrong-types/document.toml", "invalid type"),
        ("escape/document.toml", "leaves the document folder"),
        ("absolute/document.toml", "is absolute"),
        ("url/document.toml", "is a URL"),
    ];
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        write(root, "unreadable.txt", "Secret\n\nText.\n");
        let path = root.join("unreadable.txt");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000))
            .unwrap_or_else(|e| panic!("{e}"));
        // Root (as in CI containers) reads it anyway; anyone else gets an error.
        if std::fs::read(&path).is_err() {
            expected.push(("unreadable.txt", "ermission denied"));
        }
    }
    if cfg!(unix) {
        expected.extend([
            ("loop", "already loaded"),
            ("outside", "outside the corpus"),
            ("passwd.txt", "outside the corpus"),
        ]);
    }
    expected
}

/// Names, sizes and modification times of everything below `root` (not
/// the contents: two files are 500 MB).
fn tree(root: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = item.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(path.clone());
            }
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            out.push((path, meta.len(), modified));
        }
    }
    out.sort();
    out
}

/// Runs `job` on a thread; a job still running after [`HANG`] fails the test.
fn bounded<T: Send + 'static>(what: &str, job: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(job());
    });
    receiver
        .recv_timeout(HANG)
        .unwrap_or_else(|e| panic!("{what} did not finish: {e}"))
}

#[test]
fn a_hostile_corpus_loads_what_is_good_and_refuses_the_rest() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("corpus");
    let expected = hostile_corpus(&root);
    let before = tree(&root);

    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = cache.path().join("corpus.snapshot");
    let corpus = {
        let (root, snapshot) = (root.clone(), snapshot.clone());
        bounded("loading", move || {
            let opened = corpus::open(&root, &LoadOptions::default(), Some(&snapshot), &|_| {})
                .unwrap_or_else(|e| panic!("{e}"));
            opened
                .sources
                .write_snapshot(&opened.corpus, &snapshot, b"")
                .unwrap_or_else(|e| panic!("{e}"));
            opened.corpus
        })
    };

    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    // A PAGE file naming an image outside the corpus keeps its text and
    // gets no page: the path is never followed.
    let escaping = corpus
        .document("escaping-page")
        .unwrap_or_else(|| panic!("escaping-page did not load"));
    assert!(escaping.pages.is_empty());
    assert!(
        escaping
            .warnings
            .iter()
            .any(|w| w.contains("not in the corpus"))
    );
    // So does a METS book whose pages point out of the corpus.
    let book = corpus
        .document("escaping-mets")
        .unwrap_or_else(|| panic!("escaping-mets did not load"));
    assert!(book.pages.is_empty());
    assert!(
        book.warnings
            .iter()
            .any(|w| w.contains("not a file inside the corpus"))
    );
    // A IIIF manifest naming file:///etc/passwd loads with no page.
    let manifest = corpus
        .document("manifest")
        .unwrap_or_else(|| panic!("manifest.json did not load"));
    assert!(manifest.pages.is_empty());
    assert!(manifest.warnings.iter().any(|w| w.contains("left out")));
    for id in ["good-clip", "good", "0001", "utf16le", "utf16be"] {
        assert!(
            ids.contains(&id),
            "{id} did not load: {ids:?}\n{:#?}",
            corpus.errors
        );
    }
    let mut missing = Vec::new();
    for (path, reason) in &expected {
        let found: Vec<&str> = corpus
            .errors
            .iter()
            .filter(|e| e.path == Path::new(path))
            .map(|e| e.reason.as_str())
            .collect();
        if !found.iter().any(|r| r.contains(reason)) {
            missing.push(format!("{path}: expected {reason:?}, got {found:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{}\nall errors: {:#?}",
        missing.join("\n"),
        corpus.errors
    );

    // Every page of every document decodes or fails with a reason.
    let pages: Vec<PathBuf> = corpus
        .documents
        .iter()
        .flat_map(|d| d.pages.iter().map(|p| root.join(&p.image)))
        .collect();
    let outcomes = bounded("decoding every page", move || {
        pages
            .into_iter()
            .map(|path| {
                let outcome = folio::pages::decode_scaled(&path, 0, 1024).map(|_| ());
                (path, outcome)
            })
            .collect::<Vec<_>>()
    });
    let outcome = |name: &str| {
        outcomes
            .iter()
            .find(|(path, _)| path.ends_with(name))
            .map_or_else(
                || panic!("{name} is not a page"),
                |(_, outcome)| outcome.clone(),
            )
    };
    assert_eq!(outcome("scan/001.png"), Ok(()));
    assert_eq!(outcome("loose/0001.jpg"), Ok(()));
    for (name, reason) in [
        ("claims-10-gigapixels.png", "over the limit"),
        ("bomb.tif", "over the limit"),
        ("sparse-500mb.jpg", "not a readable image"),
        ("noise.jpg", "not a readable image"),
        ("truncated.png", "not a readable image"),
        ("truncated.tif", "not a readable TIFF"),
        ("truncated.pdf", "not a readable PDF"),
    ] {
        let error = outcome(name).err().unwrap_or_default();
        assert!(error.contains(reason), "{name}: {error:?}");
    }
    // A cut JPEG is shown as far as it goes or refused; either is safe.
    let _ = outcome("truncated.jpg");

    // Opening again from the snapshot gives the same.
    let again = {
        let (root, snapshot) = (root.clone(), snapshot.clone());
        bounded("reopening", move || {
            corpus::open(&root, &LoadOptions::default(), Some(&snapshot), &|_| {})
                .unwrap_or_else(|e| panic!("{e}"))
                .corpus
        })
    };
    assert_eq!(again.documents, corpus.documents);
    assert_eq!(again.errors, corpus.errors);

    // The command line reports the same and exits 1, in bounded time.
    let cli_root = root.to_string_lossy().into_owned();
    let output = bounded("folio check", move || {
        common::folio(&["check", "--json", &cli_root])
    });
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report: serde_json::Value =
        serde_json::from_str(&common::stdout(&output)).unwrap_or_default();
    assert_eq!(report["documents"], corpus.documents.len());

    if let Some(peak) = folio::tools::bench::peak_rss_mb() {
        assert!(
            peak < PEAK_RSS_LIMIT_MB,
            "peak memory {peak:.0} MB, over {PEAK_RSS_LIMIT_MB} MB"
        );
    }
    assert_eq!(tree(&root), before, "nothing in the corpus may be written");
}
