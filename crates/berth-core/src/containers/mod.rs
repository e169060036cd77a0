//! Containers (C1-C7): the list, one container in full, its logs, stats and
//! terminals, the Run dialog's form and `-p` specs, and commit.

pub mod commit;
pub mod details;
mod list;
pub mod logs;
pub mod publish;
pub mod run;
pub mod stats;
pub mod terminal;

pub use list::*;
