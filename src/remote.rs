//! Page images named by URL (IIIF canvases): fetched over HTTP(S) once,
//! kept in the user's cache folder (`images/`), and read from there ever
//! after, also offline. Runs on the caller's thread: the window calls it
//! from its image decoder threads, never from the UI thread.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// The local copy of the image at `url`: from the cache, else fetched and
/// cached. The error says what failed, with the URL.
pub fn fetch(url: &str) -> Result<PathBuf, String> {
    let dir = crate::cache::base_dir()
        .ok_or("no cache folder for remote images")?
        .join("images");
    fetch_into(&dir, url)
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
