//! What makes a loaded corpus fast to narrow and search: the one filter
//! the command line, search and the window's panels share ([`filter`]),
//! per-document columns and facet counts ([`facets`]), the list's sort
//! orders ([`order`]) and the full-text index ([`search`]).

pub mod facets;
pub mod filter;
pub mod order;
pub mod search;
