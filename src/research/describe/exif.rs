//! When a photograph was taken, from its EXIF `DateTimeOriginal`, read
//! from the head of the file (never by decoding pixels), and groups of
//! photographs suggested from it: a reading-room shoot takes each
//! document's pages one after another, then pauses for the next.
//!
//! The time a photograph was taken is shown as "photographed on"; it is
//! never the document's date.

use std::io::Read as _;
use std::path::Path;

use crate::model::Ymd;

/// How much of a file is read to find its EXIF block.
const HEAD: u64 = 256 * 1024;

/// When a photograph was taken, as the camera's clock said (no zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Taken {
    pub date: Ymd,
    /// Seconds since midnight.
    pub seconds: u32,
}

impl Taken {
    /// Seconds since an arbitrary origin, for differences.
    pub fn instant(self) -> i64 {
        self.date.day_number() * 86_400 + i64::from(self.seconds)
    }
}

impl std::fmt::Display for Taken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:02}:{:02}:{:02}",
            self.date,
            self.seconds / 3600,
            self.seconds / 60 % 60,
            self.seconds % 60
        )
    }
}

/// When the photograph at `path` was taken, if its EXIF says.
pub fn taken(path: &Path) -> Option<Taken> {
    let file = crate::files::confined::open(path).ok()?;
    let mut head = Vec::new();
    file.take(HEAD).read_to_end(&mut head).ok()?;
    taken_in(&head)
}

/// [`taken`] of a file's first bytes.
pub fn taken_in(head: &[u8]) -> Option<Taken> {
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(head))
        .ok()?;
    let field = [
        exif::Tag::DateTimeOriginal,
        exif::Tag::DateTimeDigitized,
        exif::Tag::DateTime,
    ]
    .into_iter()
    .find_map(|tag| exif.get_field(tag, exif::In::PRIMARY))?;
    let exif::Value::Ascii(values) = &field.value else {
        return None;
    };
    let time = exif::DateTime::from_ascii(values.first()?).ok()?;
    let date = Ymd::new(i32::from(time.year), time.month, time.day)?;
    if time.hour > 23 || time.minute > 59 || time.second > 60 {
        return None;
    }
    Some(Taken {
        date,
        seconds: u32::from(time.hour) * 3600 + u32::from(time.minute) * 60 + u32::from(time.second),
    })
}

/// One photograph as the suggestion sees it: its document id, file name
/// and when it was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: String,
    pub name: String,
    pub taken: Option<Taken>,
}

/// Why photographs were put together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Because {
    /// Each taken less than the gap after the one before.
    TakenTogether,
    /// Their names differ only by a counter (`delo95_001`, `delo95_002`).
    SameName,
}

/// A group of consecutive photographs that may be one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Document ids, in the order given.
    pub ids: Vec<String>,
    pub because: Because,
}

/// Groups of two or more consecutive `photos` (in list order) taken less
/// than `gap_seconds` apart, or whose names share a stem.
pub fn suggest(photos: &[Photo], gap_seconds: u32) -> Vec<Suggestion> {
    let mut groups: Vec<Suggestion> = Vec::new();
    let mut current: Vec<&Photo> = Vec::new();
    let mut because = Because::TakenTogether;
    let close = |a: &Photo, b: &Photo| -> Option<Because> {
        if let (Some(x), Some(y)) = (a.taken, b.taken) {
            let gap = y.instant() - x.instant();
            if (0..i64::from(gap_seconds)).contains(&gap) {
                return Some(Because::TakenTogether);
            }
        }
        match (name_stem(&a.name), name_stem(&b.name)) {
            (Some(x), Some(y)) if x == y => Some(Because::SameName),
            _ => None,
        }
    };
    let mut flush = |current: &mut Vec<&Photo>, because: Because| {
        if current.len() > 1 {
            groups.push(Suggestion {
                ids: current.iter().map(|p| p.id.clone()).collect(),
                because,
            });
        }
        current.clear();
    };
    for photo in photos {
        match current.last() {
            Some(last) => match close(last, photo) {
                Some(why) => {
                    if current.len() == 1 {
                        because = why;
                    }
                    current.push(photo);
                }
                None => {
                    flush(&mut current, because);
                    current.push(photo);
                }
            },
            None => current.push(photo),
        }
    }
    flush(&mut current, because);
    groups
}

/// Camera file names whose prefix says nothing about the document.
const CAMERA_PREFIXES: [&str; 16] = [
    "img", "dsc", "dscf", "dscn", "dsc_", "p", "pic", "pxl", "gopr", "dji", "sam", "cimg", "imag",
    "photo", "image", "scan",
];

/// The name without its extension and trailing counter, when what is left
/// names something (`delo95_001` → `delo95`; `IMG_4711` → none).
pub fn name_stem(name: &str) -> Option<String> {
    let stem = Path::new(name)
        .file_stem()?
        .to_string_lossy()
        .to_lowercase();
    let trimmed = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() == stem.len() {
        return None;
    }
    let trimmed = trimmed.trim_end_matches(['_', '-', ' ', '.']);
    let is_camera = CAMERA_PREFIXES.contains(&trimmed)
        || trimmed.starts_with("pxl_")
        || trimmed.starts_with("img_")
        || trimmed.starts_with("img-");
    (trimmed.chars().any(char::is_alphanumeric) && trimmed.chars().count() >= 3 && !is_camera)
        .then(|| trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(id: &str, time: Option<u32>) -> Photo {
        Photo {
            id: id.into(),
            name: format!("{id}.JPG"),
            taken: time.map(|seconds| Taken {
                date: Ymd::new(2024, 5, 14).unwrap_or_else(|| panic!("date")),
                seconds,
            }),
        }
    }

    #[test]
    fn photographs_taken_together_are_one_suggestion() {
        let photos = [
            photo("IMG_4711", Some(36_000)),
            photo("IMG_4712", Some(36_030)),
            photo("IMG_4713", Some(36_100)),
            photo("IMG_4714", Some(36_400)),
            photo("IMG_4715", Some(36_420)),
            photo("IMG_4716", None),
        ];
        let groups = suggest(&photos, 90);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].ids, ["IMG_4711", "IMG_4712", "IMG_4713"]);
        assert_eq!(groups[1].ids, ["IMG_4714", "IMG_4715"]);
        assert_eq!(groups[0].because, Because::TakenTogether);
        assert!(suggest(&photos, 10).is_empty());
    }

    #[test]
    fn names_that_differ_by_a_counter_share_a_stem() {
        assert_eq!(name_stem("delo95_001.jpg").as_deref(), Some("delo95"));
        assert_eq!(
            name_stem("GARF-9401-2-95-003.JPG").as_deref(),
            Some("garf-9401-2-95")
        );
        assert_eq!(name_stem("IMG_4711.JPG"), None);
        assert_eq!(name_stem("DSC01234.JPG"), None);
        assert_eq!(name_stem("PXL_20240514_101010.jpg"), None);
        assert_eq!(name_stem("letter.jpg"), None);
        let photos = [
            Photo {
                id: "a1".into(),
                name: "delo95_001.jpg".into(),
                taken: None,
            },
            Photo {
                id: "a2".into(),
                name: "delo95_002.jpg".into(),
                taken: None,
            },
            Photo {
                id: "b".into(),
                name: "delo96_001.jpg".into(),
                taken: None,
            },
        ];
        let groups = suggest(&photos, 90);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].because, Because::SameName);
    }

    #[test]
    fn no_exif_is_no_time() {
        assert_eq!(taken_in(b"not an image"), None);
        assert_eq!(taken_in(&[0xFF, 0xD8, 0xFF, 0xD9]), None);
    }
}
