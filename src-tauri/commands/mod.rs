//! The IPC commands: each takes the state, calls the core, maps the error.
//!
//! One file per domain, as in the core and in ui/src.

pub mod app;
pub mod build;
pub mod compose;
pub mod containers;
pub mod engine;
pub mod files;
pub mod images;
pub mod labs;
pub mod networks;
pub mod registry;
pub mod storage;
pub mod swarm;
