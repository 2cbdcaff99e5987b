//! Page images named by URL (IIIF canvases): fetched over HTTP(S) once,
//! kept in the user's cache folder (`images/`), and read from there ever
//! after, also offline. A page served by a IIIF Image API service is asked
//! at the size shown (its `info.json` gives the whole size), so the first
//! picture comes quickly and zooming in fetches sharper ones. Runs on the
//! caller's thread: the window calls it from its image decoder threads,
//! never from the UI thread.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Whether `path` names a page or manifest by URL (`http://`, `https://`)
/// rather than a file.
pub fn is_url(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.starts_with("http://") || text.starts_with("https://")
}

/// Larger answers are refused (no page image is this big).
const MAX_BYTES: u64 = 256 << 20;

/// How long one fetch may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Where the image at `url` is (or would be) cached in the user's cache.
pub fn cache_file(url: &str) -> Option<PathBuf> {
    Some(cache_file_in(
        &crate::cache::base_dir()?.join("images"),
        url,
    ))
}

/// Where the image at `url` is (or would be) cached in `dir`.
pub fn cache_file_in(dir: &Path, url: &str) -> PathBuf {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    url.hash(&mut hasher);
    let extension = Path::new(url.split(['?', '#']).next().unwrap_or(url))
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or("img")
        .to_ascii_lowercase();
    dir.join(format!("{:016x}.{extension}", hasher.finish()))
}

/// The body of `url`, fetched now (at most 256 MB, within 30 s).
///
/// # Errors
/// Not an http(s) URL, no answer, an error status, or too large; the
/// message names the URL.
pub fn download(url: &str) -> Result<Vec<u8>, String> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!("{url}: only http and https addresses are fetched"));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| format!("cannot fetch {url}: {e} (offline, or the server refused)"))?;
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot fetch {url}: {e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("{url}: larger than {} MB", MAX_BYTES >> 20));
    }
    Ok(bytes)
}

/// [`fetch`] with the cache in `dir`.
pub fn fetch_into(dir: &Path, url: &str) -> Result<PathBuf, String> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!("{url}: only http and https images are fetched"));
    }
    let file = cache_file_in(dir, url);
    if file.is_file() {
        return Ok(file);
    }
    let bytes = download(url)?;
    crate::cache::write_atomically(&file, &bytes)
        .map_err(|e| format!("cannot keep {url} in {}: {e}", file.display()))?;
    Ok(file)
}

/// What a IIIF Image API service says of its image (`info.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub width: u32,
    pub height: u32,
    /// Whether the server scales on request (compliance level 1 or 2);
    /// a level 0 server is asked for the whole image only.
    pub scales: bool,
}

/// The service of a page URL made from one (`{service}/full/max/0/default.jpg`
/// or `…/full/full/…`, as the IIIF reader writes them), with the word it
/// uses for the whole size.
pub fn image_service(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_suffix("/0/default.jpg")?;
    let (rest, size) = rest.rsplit_once('/')?;
    let service = rest.strip_suffix("/full")?;
    (matches!(size, "max" | "full") && !service.is_empty()).then_some((service, size))
}

/// Reads a service's `info.json`.
///
/// # Errors
/// Not JSON, or no width and height.
pub fn parse_image_info(text: &str) -> Result<ImageInfo, String> {
    let info: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("info.json is not JSON: {e}"))?;
    let side = |key: &str| {
        info.get(key)
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("info.json gives no {key}"))
    };
    // v2: "profile": ["http://iiif.io/api/image/2/level1.json", {…}];
    // v3: "profile": "level1".
    let profile = info
        .get("profile")
        .map(ToString::to_string)
        .unwrap_or_default();
    Ok(ImageInfo {
        width: side("width")?,
        height: side("height")?,
        scales: profile.contains("level1") || profile.contains("level2"),
    })
}

/// The local copy of page `url` for a picture `side` pixels on its longer
/// side, and the whole image's size when that copy is a reduced one: a
/// IIIF Image API page is asked at that width (`{service}/full/{w},/0/…`,
/// which every scaling server answers) when it is larger; any other URL is
/// fetched whole. Offline, a reduced copy not fetched before falls back to
/// the whole image, if that was.
///
/// # Errors
/// As [`fetch_into`], naming the URL.
pub fn fetch_page_into(
    dir: &Path,
    url: &str,
    side: u32,
) -> Result<(PathBuf, Option<[u32; 2]>), String> {
    let Some((service, _)) = image_service(url) else {
        return Ok((fetch_into(dir, url)?, None));
    };
    let info = fetch_into(dir, &format!("{service}/info.json")).and_then(|file| {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{service}/info.json: {e}"))?;
        parse_image_info(&text).map_err(|e| format!("{service}: {e}"))
    });
    let Ok(info) = info else {
        // No description: the whole image, as the manifest names it.
        return Ok((fetch_into(dir, url)?, None));
    };
    let full = [info.width, info.height];
    if !info.scales || side >= info.width.max(info.height) {
        return Ok((fetch_into(dir, url)?, Some(full)));
    }
    let width = if info.width >= info.height {
        side
    } else {
        (f64::from(side) * f64::from(info.width) / f64::from(info.height)).round() as u32
    };
    let sized = format!("{service}/full/{},/0/default.jpg", width.max(1));
    match fetch_into(dir, &sized) {
        Ok(file) => Ok((file, Some(full))),
        Err(_) if cache_file_in(dir, url).is_file() => Ok((cache_file_in(dir, url), Some(full))),
        Err(reason) => Err(reason),
    }
}

/// [`fetch_page_into`] with the user's cache folder.
pub fn fetch_page(url: &str, side: u32) -> Result<(PathBuf, Option<[u32; 2]>), String> {
    let dir = crate::cache::base_dir()
        .ok_or("no cache folder for remote images")?
        .join("images");
    fetch_page_into(&dir, url, side)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_service_urls_are_recognised() {
        assert_eq!(
            image_service("https://x/iiif/a/full/max/0/default.jpg"),
            Some(("https://x/iiif/a", "max"))
        );
        assert_eq!(
            image_service("https://x/iiif/a/full/full/0/default.jpg"),
            Some(("https://x/iiif/a", "full"))
        );
        assert_eq!(image_service("https://x/page.jpg"), None);
        assert_eq!(image_service("https://x/a/full/512,/0/default.jpg"), None);
        assert_eq!(image_service("/full/max/0/default.jpg"), None);
    }

    #[test]
    fn info_json_of_both_versions() {
        let v2 = r#"{"@context": "http://iiif.io/api/image/2/context.json", "@id": "https://x/a",
            "width": 5776, "height": 9125,
            "profile": ["http://iiif.io/api/image/2/level1.json", {"formats": ["jpg"]}]}"#;
        assert_eq!(
            parse_image_info(v2),
            Ok(ImageInfo {
                width: 5776,
                height: 9125,
                scales: true
            })
        );
        let v3 = r#"{"id": "https://x/a", "type": "ImageService3", "profile": "level0",
            "width": 100, "height": 50}"#;
        assert_eq!(
            parse_image_info(v3),
            Ok(ImageInfo {
                width: 100,
                height: 50,
                scales: false
            })
        );
        assert!(parse_image_info(r#"{"width": 0, "height": 5}"#).is_err());
        assert!(parse_image_info("<html>").is_err());
    }
}
