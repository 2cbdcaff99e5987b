//! How folio reaches bytes that are not in the corpus folder: page
//! images and manifests by URL, fetched once into the cache ([`remote`]).

pub mod remote;
