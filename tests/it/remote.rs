//! IIIF pages over HTTP: a manifest whose canvases point at a small server
//! on 127.0.0.1 started here; each image is fetched once, kept in the
//! cache, read from there when the server is gone, and a page that was
//! never fetched says why when offline.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::Path;

use crate::common;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A PNG page of `width`×`height`.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 180, 150]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{e}"));
    bytes.into_inner()
}

/// Serves `body` for every GET of a path ending in `.png`, 404 otherwise,
/// for at most `requests` requests or 60 s; counts the pages served.
fn serve(body: Vec<u8>, requests: usize) -> (String, Arc<AtomicUsize>) {
    serve_files(vec![(".png", "image/png", body)], requests)
}

/// Serves each body for a GET of a path ending in its suffix (the first
/// that fits), 404 otherwise, for at most `requests` requests or 60 s;
/// counts the answers served.
fn serve_files(
    files: Vec<(&'static str, &'static str, Vec<u8>)>,
    requests: usize,
) -> (String, Arc<AtomicUsize>) {
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
    let (address, _) = serve_with(
        move |path| {
            let (_, content_type, body) =
                files.iter().find(|(suffix, _, _)| path.ends_with(suffix))?;
            count.fetch_add(1, Ordering::SeqCst);
            Some((*content_type, body.clone()))
        },
        requests,
    );
    (address, served)
}

/// Answers each GET with what `answer` gives for its (lower-cased) path, 404
/// for `None`, for at most `requests` requests or 60 s; keeps the paths
/// asked for.
fn serve_with(
    answer: impl Fn(&str) -> Option<(&'static str, Vec<u8>)> + Send + 'static,
    requests: usize,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    listener
        .set_nonblocking(true)
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_mins(1);
        let mut handled = 0;
        while handled < requests && Instant::now() < deadline {
            let Ok((stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            };
            handled += 1;
            let _ = stream.set_nonblocking(false);
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            // The rest of the header.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = &stream;
            let path = request
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_ascii_lowercase();
            log.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(path.clone());
            match answer(&path) {
                Some((content_type, body)) => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(&body);
                }
                None => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
            }
        }
    });
    (address, asked)
}

#[test]
fn image_api_pages_are_fetched_at_the_size_shown() {
    // A level 1 Image API service of a 4000×6000 page: info.json, and the
    // page at any width asked as `full/{w},/0/default.jpg`.
    let (server, asked) = serve_with(
        |path| {
            let rest = path.strip_prefix("/iiif/page1/")?;
            if rest == "info.json" {
                let info = serde_json::json!({
                    "@context": "http://iiif.io/api/image/2/context.json",
                    "@id": "ignored", "width": 4000, "height": 6000,
                    "profile": ["http://iiif.io/api/image/2/level1.json"]
                });
                return Some(("application/json", info.to_string().into_bytes()));
            }
            let width: u32 = rest
                .strip_prefix("full/")?
                .strip_suffix(",/0/default.jpg")?
                .parse()
                .ok()?;
            Some(("image/png", png(width, width * 3 / 2)))
        },
        3,
    );
    let manifest = serde_json::json!({
        "@context": "http://iiif.io/api/presentation/2/context.json",
        "@type": "sc:Manifest", "label": "Served by an image server",
        "sequences": [{"canvases": [{"@type": "sc:Canvas", "label": "f. 1r",
            "images": [{"resource": {"@id": format!("{server}/iiif/page1"),
                "service": {"@context": "http://iiif.io/api/image/2/context.json",
                            "@id": format!("{server}/iiif/page1"),
                            "profile": "http://iiif.io/api/image/2/level1.json"}}}]}]}]
    });
    let doc = folio::corpus::formats::iiif::parse(&manifest.to_string(), Path::new("m.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let url = doc.pages[0].image.to_string_lossy().into_owned();
    assert_eq!(url, format!("{server}/iiif/page1/full/full/0/default.jpg"));
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // The first picture at the size shown (1024 high: 683 wide), the whole
    // page's size from info.json; zooming in asks for a sharper one.
    for (side, width) in [(1024, 683), (2048, 1365), (1024, 683)] {
        let (local, full) = folio::files::remote::fetch_page_into(cache.path(), &url, side)
            .unwrap_or_else(|e| panic!("{side}: {e}"));
        assert_eq!(full, Some([4000, 6000]));
        let (picture, _) =
            folio::pages::decode_scaled(&local, 0, side).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(picture.width(), width);
    }
    let asked = asked.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert_eq!(
        asked,
        [
            "/iiif/page1/info.json",
            "/iiif/page1/full/683,/0/default.jpg",
            "/iiif/page1/full/1365,/0/default.jpg",
        ],
        "each once, then from the cache"
    );
    // Offline (the server has answered its last request), the sizes
    // fetched before still open; one never fetched says why, with its URL.
    std::thread::sleep(Duration::from_millis(200));
    let (local, full) = folio::files::remote::fetch_page_into(cache.path(), &url, 2048)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(local.is_file());
    assert_eq!(full, Some([4000, 6000]));
    let err = folio::files::remote::fetch_page_into(cache.path(), &url, 256)
        .err()
        .unwrap_or_default();
    assert!(err.contains("full/171,/0/default.jpg"), "{err}");
}

#[test]
fn remote_pages_are_fetched_once_and_read_offline() {
    let (server, served) = serve(png(300, 200), 4);
    let manifest = serde_json::json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "type": "Manifest",
        "label": {"en": ["Served here"]},
        "items": [
            {"type": "Canvas", "label": {"en": ["f. 1r"]},
             "items": [{"items": [{"body": {"id": format!("{server}/page1.png")}}]}]},
            {"type": "Canvas", "label": {"en": ["f. 1v"]},
             "items": [{"items": [{"body": {"id": format!("{server}/missing.jpg")}}]}]}
        ]
    });
    let doc = folio::corpus::formats::iiif::parse(&manifest.to_string(), Path::new("m.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.pages.len(), 2);
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = doc.pages[0].image.to_string_lossy().into_owned();

    // Fetched, kept, decoded at the size asked.
    let local =
        folio::files::remote::fetch_into(cache.path(), &url).unwrap_or_else(|e| panic!("{e}"));
    assert!(local.starts_with(cache.path()));
    let (image, full) =
        folio::pages::decode_scaled(&local, 0, 150).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(full, [300, 200]);
    assert_eq!((image.width(), image.height()), (150, 100));
    // Asked again: from the cache, not the server.
    let again =
        folio::files::remote::fetch_into(cache.path(), &url).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, local);
    assert_eq!(served.load(Ordering::SeqCst), 1);

    // A page the server does not have: the error names the URL.
    let missing = doc.pages[1].image.to_string_lossy().into_owned();
    let err = folio::files::remote::fetch_into(cache.path(), &missing)
        .err()
        .unwrap_or_default();
    assert!(
        err.contains("missing.jpg") && err.contains("cannot fetch"),
        "{err}"
    );

    // Offline (nothing listens on that port any more): the cached page
    // still opens; an uncached one says why.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    };
    let offline = format!("http://{closed}/page2.png");
    let err = folio::files::remote::fetch_into(cache.path(), &offline)
        .err()
        .unwrap_or_default();
    assert!(err.contains("offline"), "{err}");
    assert!(folio::files::remote::fetch_into(cache.path(), &url).is_ok());
    // Only http(s).
    assert!(folio::files::remote::fetch_into(cache.path(), "file:///etc/passwd").is_err());
}

#[test]
fn a_manifest_opened_by_url_brings_its_pages_ocr() {
    if common::missing_shared("samples") {
        return;
    }
    let alto = std::fs::read(common::samples().join("alto-hocr/bsb00084914_00007.xml"))
        .unwrap_or_else(|e| panic!("{e}"));
    // Two servers: one for the OCR and pages, one for the manifest that
    // points at the first (it answers once, then is gone).
    let (pages, _) = serve_files(
        vec![
            (".alto.xml", "application/xml", alto),
            (".png", "image/png", png(300, 200)),
        ],
        8,
    );
    let manifest = serde_json::json!({
        "@context": "http://iiif.io/api/presentation/2/context.json",
        "@type": "sc:Manifest",
        "@id": "http://example.org/manifest",
        "label": "A printed page with its OCR",
        "sequences": [{"canvases": [
            {"@type": "sc:Canvas", "label": "p. 7",
             "images": [{"resource": {"@id": format!("{pages}/page7.png")}}],
             "seeAlso": {"@id": format!("{pages}/page7.alto.xml"), "format": "application/xml",
                         "profile": "http://www.loc.gov/standards/alto/v4/alto.xsd"}},
            {"@type": "sc:Canvas", "label": "p. 8",
             "images": [{"resource": {"@id": format!("{pages}/page8.png")}}],
             "seeAlso": [{"@id": format!("{pages}/catalogue.xml"), "format": "text/xml"}]}
        ]}]
    });
    let (manifests, served) = serve_files(
        vec![(
            "/manifest.json",
            "application/json",
            manifest.to_string().into_bytes(),
        )],
        1,
    );
    let url = format!("{manifests}/manifest.json");
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let list = common::folio_with_cache(&["list", "--json", &url], cache.path());
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let listed: serde_json::Value = common::stdout(&list)
        .lines()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    assert_eq!(listed["title"], "A printed page with its OCR");
    assert_eq!(listed["pages"], 2);
    assert_eq!(served.load(Ordering::SeqCst), 1);

    // The first page's OCR is the transcription, on its page, with regions.
    let id = listed["id"].as_str().unwrap_or_default().to_owned();
    let show = common::folio_with_cache(&["show", "--json", &url, &id], cache.path());
    assert!(
        show.status.success(),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    let doc: serde_json::Value = serde_json::from_str(&common::stdout(&show)).unwrap_or_default();
    let layer = &doc["layers"][0];
    assert_eq!(layer["kind"], "transcription", "{doc}");
    let text = layer["text"].as_str().unwrap_or_default();
    assert!(text.len() > 200, "{text}");
    assert_eq!(layer["page_breaks"].as_array().map(Vec::len), Some(1));
    let regions = doc["pages"][0]["regions"].as_array().map_or(0, Vec::len);
    assert!(regions > 10, "{regions} regions");
    assert_eq!(doc["pages"][1]["regions"].as_array().map_or(0, Vec::len), 0);

    // Offline (the manifest's server is gone), the copy fetched before
    // opens, and says so.
    std::thread::sleep(Duration::from_millis(100));
    let offline = common::folio_with_cache(&["list", "--json", &url], cache.path());
    assert!(
        offline.status.success(),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    assert!(
        String::from_utf8_lossy(&offline.stderr).contains("opened the copy fetched before"),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    assert_eq!(common::stdout(&offline).lines().count(), 1);
    // An address never fetched, with nothing listening: a clear error.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    };
    let never =
        common::folio_with_cache(&["list", &format!("http://{closed}/m.json")], cache.path());
    assert_eq!(never.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&never.stderr).contains("cannot fetch"));
}
