//! Images (I1-I8, B3): the list, one image in full, pull, push, prune, and
//! reading references as the docker CLI reads them.

pub mod details;
mod list;
pub mod prune;
pub mod pull;
pub mod push;
pub mod reference;

pub use list::*;
