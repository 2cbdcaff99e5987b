//! How folio reaches bytes: corpus files opened so that no link leads
//! outside the corpus ([`confined`]), and page images and manifests by
//! URL, fetched once into the cache ([`remote`]).

pub mod confined;
pub mod remote;
