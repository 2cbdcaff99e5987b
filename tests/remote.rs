//! IIIF pages over HTTP: a manifest whose canvases point at a small server
//! on 127.0.0.1 started here; each image is fetched once, kept in the
//! cache, read from there when the server is gone, and a page that was
//! never fetched says why when offline.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
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
            if request
                .split_whitespace()
                .nth(1)
                .is_some_and(|p| p.to_ascii_lowercase().ends_with(".png"))
            {
                count.fetch_add(1, Ordering::SeqCst);
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            } else {
                let _ = stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        }
    });
    (address, served)
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
    let doc = folio::corpus::iiif::parse(&manifest.to_string(), Path::new("m.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.pages.len(), 2);
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = doc.pages[0].image.to_string_lossy().into_owned();

    // Fetched, kept, decoded at the size asked.
    let local = folio::remote::fetch_into(cache.path(), &url).unwrap_or_else(|e| panic!("{e}"));
    assert!(local.starts_with(cache.path()));
    let (image, full) =
        folio::ui::images::decode_scaled(&local, 0, 150).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(full, [300, 200]);
    assert_eq!((image.width(), image.height()), (150, 100));
    // Asked again: from the cache, not the server.
    let again = folio::remote::fetch_into(cache.path(), &url).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, local);
    assert_eq!(served.load(Ordering::SeqCst), 1);

    // A page the server does not have: the error names the URL.
    let missing = doc.pages[1].image.to_string_lossy().into_owned();
    let err = folio::remote::fetch_into(cache.path(), &missing)
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
    let err = folio::remote::fetch_into(cache.path(), &offline)
        .err()
        .unwrap_or_default();
    assert!(err.contains("offline"), "{err}");
    assert!(folio::remote::fetch_into(cache.path(), &url).is_ok());
    // Only http(s).
    assert!(folio::remote::fetch_into(cache.path(), "file:///etc/passwd").is_err());
}
