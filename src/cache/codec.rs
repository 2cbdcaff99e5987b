//! A compact binary encoding of the document model, for caches only.
//!
//! The corpus snapshot ([`crate::corpus::snapshot`]) stores parsed
//! documents so that an unchanged corpus opens without parsing. The JSON
//! form of the model is the CLI's public contract and skips empty fields,
//! which a non-self-describing format cannot do; so caches use this
//! encoding instead: LEB128 integers, length-prefixed UTF-8, one byte per
//! enum variant, fields in declaration order. Each model type is
//! destructured without `..`, so adding a field to the model fails to
//! compile until the cache encodes it. A cache that does not decode (an
//! older layout, a torn file) is an error, and its caller parses again.

use std::path::PathBuf;

use crate::model::{
    ArchiveRef, Document, FuzzyDate, Layer, LayerKind, NoteAnchor, Origin, Page, PageBreak, Person,
    Precision, Region, RegionKind, Role, SourceFormat, Ymd,
};

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("cache data ends early")]
    Truncated,
    #[error("cache data holds text that is not UTF-8")]
    NotUtf8,
    #[error("cache data holds an unknown {0} value {1}")]
    BadTag(&'static str, u64),
    #[error("cache data holds a number out of range")]
    OutOfRange,
    #[error("cache data does not match its checksum")]
    Checksum,
}

/// Appends encoded values to a buffer.
#[derive(Debug, Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn put<T: Encode + ?Sized>(&mut self, value: &T) {
        value.encode(self);
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.varint(bytes.len() as u64);
        self.bytes.extend_from_slice(bytes);
    }
}

/// Reads encoded values from a byte slice.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub fn get<T: Decode>(&mut self) -> Result<T, DecodeError> {
        T::decode(self)
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let (&first, rest) = self.bytes.split_first().ok_or(DecodeError::Truncated)?;
        self.bytes = rest;
        Ok(first)
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::OutOfRange)
    }

    /// A length that cannot exceed what is left (so a corrupt length never
    /// allocates more than the file holds).
    fn length(&mut self) -> Result<usize, DecodeError> {
        let length = usize::try_from(self.varint()?).map_err(|_| DecodeError::OutOfRange)?;
        if length > self.bytes.len() {
            return Err(DecodeError::Truncated);
        }
        Ok(length)
    }

    fn raw(&mut self) -> Result<&'a [u8], DecodeError> {
        let length = self.length()?;
        let (head, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok(head)
    }

    /// A sub-slice of `length` bytes, consumed.
    pub fn take(&mut self, length: usize) -> Result<&'a [u8], DecodeError> {
        if length > self.bytes.len() {
            return Err(DecodeError::Truncated);
        }
        let (head, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok(head)
    }
}

/// A value that caches can store.
pub trait Encode {
    fn encode(&self, w: &mut Writer);
}

/// A value that caches can read back.
pub trait Decode: Sized {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

impl Encode for u64 {
    fn encode(&self, w: &mut Writer) {
        w.varint(*self);
    }
}
impl Decode for u64 {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.varint()
    }
}

impl Encode for i64 {
    fn encode(&self, w: &mut Writer) {
        // Zigzag, so that small negative numbers stay short.
        w.varint(((self << 1) ^ (self >> 63)) as u64);
    }
}
impl Decode for i64 {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let v = r.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }
}

macro_rules! narrow_integer {
    ($($t:ty => $wide:ty),*) => {$(
        impl Encode for $t {
            fn encode(&self, w: &mut Writer) {
                <$wide>::from(*self).encode(w);
            }
        }
        impl Decode for $t {
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                <$t>::try_from(<$wide>::decode(r)?).map_err(|_| DecodeError::OutOfRange)
            }
        }
    )*};
}
narrow_integer!(u8 => u64, u32 => u64, i32 => i64);

impl Encode for usize {
    fn encode(&self, w: &mut Writer) {
        w.varint(*self as u64);
    }
}
impl Decode for usize {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        usize::try_from(r.varint()?).map_err(|_| DecodeError::OutOfRange)
    }
}

impl Encode for bool {
    fn encode(&self, w: &mut Writer) {
        w.bytes.push(u8::from(*self));
    }
}
impl Decode for bool {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(DecodeError::BadTag("bool", u64::from(other))),
        }
    }
}

impl Encode for f32 {
    fn encode(&self, w: &mut Writer) {
        w.bytes.extend_from_slice(&self.to_le_bytes());
    }
}
impl Decode for f32 {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let bytes = r.take(4)?;
        Ok(f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }
}

impl Encode for str {
    fn encode(&self, w: &mut Writer) {
        w.raw(self.as_bytes());
    }
}
impl Encode for String {
    fn encode(&self, w: &mut Writer) {
        self.as_str().encode(w);
    }
}
impl Decode for String {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        // Caches hold hundreds of megabytes of text: validated with SIMD
        // (several times faster than `std::str::from_utf8` on non-ASCII).
        let bytes = r.raw()?;
        simdutf8::basic::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError::NotUtf8)
    }
}

/// Paths inside a corpus are Unicode (the walk refuses other names).
impl Encode for PathBuf {
    fn encode(&self, w: &mut Writer) {
        self.to_string_lossy().encode(w);
    }
}
impl Decode for PathBuf {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        String::decode(r).map(PathBuf::from)
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, w: &mut Writer) {
        (**self).encode(w);
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, w: &mut Writer) {
        match self {
            None => w.bytes.push(0),
            Some(value) => {
                w.bytes.push(1);
                value.encode(w);
            }
        }
    }
}
impl<T: Decode> Decode for Option<T> {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.byte()? {
            0 => Ok(None),
            1 => T::decode(r).map(Some),
            other => Err(DecodeError::BadTag("option", u64::from(other))),
        }
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, w: &mut Writer) {
        w.varint(self.len() as u64);
        for item in self {
            item.encode(w);
        }
    }
}
impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Writer) {
        self.as_slice().encode(w);
    }
}
impl<T: Decode> Decode for Vec<T> {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        // Every item takes at least one byte: a corrupt count cannot
        // reserve more than the data could hold.
        let count = r.length()?;
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            out.push(T::decode(r)?);
        }
        Ok(out)
    }
}

impl<A: Encode, B: Encode> Encode for (A, B) {
    fn encode(&self, w: &mut Writer) {
        self.0.encode(w);
        self.1.encode(w);
    }
}
impl<A: Decode, B: Decode> Decode for (A, B) {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok((A::decode(r)?, B::decode(r)?))
    }
}

impl Encode for [f32; 2] {
    fn encode(&self, w: &mut Writer) {
        self[0].encode(w);
        self[1].encode(w);
    }
}
impl Decode for [f32; 2] {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok([f32::decode(r)?, f32::decode(r)?])
    }
}

/// `Encode` and `Decode` for a struct with named fields, in the order
/// listed. The encoder destructures the struct without `..`, so a field
/// left out of the list (or added to the struct later) fails to compile.
macro_rules! record {
    ($t:ident { $($field:ident),* $(,)? }) => {
        impl $crate::cache::codec::Encode for $t {
            fn encode(&self, w: &mut $crate::cache::codec::Writer) {
                let $t { $($field),* } = self;
                $( w.put($field); )*
            }
        }
        impl $crate::cache::codec::Decode for $t {
            fn decode(
                r: &mut $crate::cache::codec::Reader<'_>,
            ) -> Result<Self, $crate::cache::codec::DecodeError> {
                // Struct fields are evaluated in the order written.
                Ok($t { $($field: r.get()?),* })
            }
        }
    };
}
pub(crate) use record;

/// Enums without data, as their position in a fixed list.
macro_rules! unit_enum {
    ($t:ty, $name:literal, [$($variant:path),* $(,)?]) => {
        impl Encode for $t {
            fn encode(&self, w: &mut Writer) {
                const ALL: &[$t] = &[$($variant),*];
                let index = ALL.iter().position(|v| v == self).unwrap_or(0);
                w.bytes.push(index as u8);
            }
        }
        impl Decode for $t {
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                const ALL: &[$t] = &[$($variant),*];
                let tag = r.byte()?;
                ALL.get(usize::from(tag))
                    .copied()
                    .ok_or(DecodeError::BadTag($name, u64::from(tag)))
            }
        }
    };
}
unit_enum!(
    SourceFormat,
    "format",
    [
        SourceFormat::Folio,
        SourceFormat::Clip,
        SourceFormat::Loose,
        SourceFormat::Tei,
        SourceFormat::Iiif,
        SourceFormat::Mets
    ]
);
unit_enum!(
    Role,
    "role",
    [
        Role::Author,
        Role::Recipient,
        Role::Signatory,
        Role::Translator,
        Role::Mentioned,
    ]
);
unit_enum!(
    LayerKind,
    "layer kind",
    [
        LayerKind::Transcription,
        LayerKind::Translation,
        LayerKind::Summary,
        LayerKind::Note,
    ]
);
unit_enum!(
    RegionKind,
    "region kind",
    [RegionKind::Block, RegionKind::Line, RegionKind::Word]
);
unit_enum!(
    Precision,
    "precision",
    [
        Precision::Day,
        Precision::Month,
        Precision::Season,
        Precision::Year,
        Precision::Decade,
        Precision::Century,
        Precision::Range,
        Precision::Unknown,
    ]
);

impl Encode for Ymd {
    fn encode(&self, w: &mut Writer) {
        let Self { year, month, day } = *self;
        w.put(&year);
        w.put(&month);
        w.put(&day);
    }
}
impl Decode for Ymd {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let (year, month, day) = (r.get()?, r.get()?, r.get()?);
        Ymd::new(year, month, day).ok_or(DecodeError::OutOfRange)
    }
}

/// The one private field (`bounds`) goes through accessors; the others
/// are listed by name, so a new public field fails to compile here.
impl Encode for FuzzyDate {
    fn encode(&self, w: &mut Writer) {
        let FuzzyDate {
            text,
            start,
            end,
            precision,
            approximate,
            uncertain,
            inferred,
            ..
        } = self;
        w.put(text);
        w.put(start);
        w.put(end);
        w.put(precision);
        w.put(approximate);
        w.put(uncertain);
        w.put(inferred);
        let (first, last) = self.bounds();
        w.put(&first);
        w.put(&last);
    }
}
impl Decode for FuzzyDate {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut date = FuzzyDate::default();
        date.text = r.get()?;
        date.start = r.get()?;
        date.end = r.get()?;
        date.precision = r.get()?;
        date.approximate = r.get()?;
        date.uncertain = r.get()?;
        date.inferred = r.get()?;
        date.set_bounds((r.get()?, r.get()?));
        Ok(date)
    }
}

/// A person is stored as its source gave it: an authority entry that
/// folio matched by name is left out, because matching is redone against
/// the authority file of the day whenever the corpus opens.
impl Encode for Person {
    fn encode(&self, w: &mut Writer) {
        let Self {
            name,
            role,
            aliases,
            authority,
            authority_matched,
            from_text,
        } = self;
        w.put(name);
        w.put(role);
        w.put(aliases);
        w.put(&authority.as_ref().filter(|_| !authority_matched));
        w.put(from_text);
    }
}
impl Decode for Person {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            name: r.get()?,
            role: r.get()?,
            aliases: r.get()?,
            authority: r.get()?,
            authority_matched: false,
            from_text: r.get()?,
        })
    }
}

record!(ArchiveRef {
    repository,
    fond,
    opis,
    papka,
    delo,
    folios,
    shelfmark,
    raw
});

record!(PageBreak { offset, label });

record!(NoteAnchor {
    offset,
    number,
    text
});

record!(Layer {
    kind,
    language,
    translated_from,
    translator,
    text,
    page_breaks,
    note_anchors,
    source,
    origin
});

impl Encode for Origin {
    fn encode(&self, w: &mut Writer) {
        match *self {
            Origin::File => w.bytes.push(0),
            Origin::Ocr { confidence } => {
                w.bytes.push(1);
                w.bytes.push(confidence);
            }
            Origin::User => w.bytes.push(2),
        }
    }
}

impl Decode for Origin {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.byte()? {
            0 => Ok(Self::File),
            1 => Ok(Self::Ocr {
                confidence: r.byte()?,
            }),
            2 => Ok(Self::User),
            tag => Err(DecodeError::BadTag("layer origin", u64::from(tag))),
        }
    }
}

record!(Region {
    kind,
    polygon,
    text,
    layer,
    text_range,
    confidence
});

record!(Page {
    image,
    index_in_file,
    label,
    regions
});

record!(Document {
    id,
    title,
    kind,
    date,
    people,
    places,
    named_in_text,
    archive,
    original_language,
    layers,
    pages,
    citation,
    credits,
    source_url,
    digital_archive,
    pages_right_to_left,
    tags,
    source,
    format,
    warnings
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip() {
        let mut w = Writer::default();
        let values = [0i64, 1, -1, 63, -64, 1 << 40, i64::MIN, i64::MAX];
        for v in values {
            w.put(&v);
        }
        w.put(&u64::MAX);
        let mut r = Reader::new(&w.bytes);
        for v in values {
            assert_eq!(r.get::<i64>(), Ok(v));
        }
        assert_eq!(r.get::<u64>(), Ok(u64::MAX));
        assert!(r.is_empty());
    }

    #[test]
    fn corrupt_data_is_an_error() {
        let mut w = Writer::default();
        w.put(&vec!["Касыми".to_owned(), "قاسىمى".to_owned()]);
        let bytes = w.bytes;
        for cut in 0..bytes.len() {
            assert!(Reader::new(&bytes[..cut]).get::<Vec<String>>().is_err());
        }
        // A count far beyond the data reserves nothing.
        let mut huge = Writer::default();
        huge.put(&u64::MAX);
        assert!(Reader::new(&huge.bytes).get::<Vec<String>>().is_err());
        assert_eq!(
            Reader::new(&[2]).get::<bool>(),
            Err(DecodeError::BadTag("bool", 2))
        );
    }
}
