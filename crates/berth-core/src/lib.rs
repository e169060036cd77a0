//! Berth's engine logic, with no Tauri in it.
//!
//! Everything the app knows about Docker lives here so that it can be tested
//! with plain `cargo test` against a real dockerd. The folders are the
//! product's map and mirror `ui/src`: [`engine`] (where the engine is,
//! connecting, contexts, the event stream, the raw HTTP client, the docker
//! CLI's config), [`containers`], [`images`], [`build`], [`registry`]
//! (registry reads, the inspector's tree, credentials, login), [`files`], [`compose`] (projects: grouping, actions, down, logs, the file and the compose CLI),
//! [`storage`] (volumes, disk usage) and [`networks`]; beside them the one
//! error type, the settings' shape and the session log. The Tauri crate only
//! wires these to commands.

pub mod build;
pub mod cli;
pub mod compose;
pub mod containers;
pub mod engine;
pub mod error;
pub mod files;
pub mod images;
pub mod labs;
pub mod networks;
pub mod platform;
pub mod registry;
pub mod said;
pub mod settings;
pub mod storage;
pub mod swarm;

pub use engine::Engine;

/// How 64-bit integers (sizes, timestamps) appear in the TypeScript
/// bindings: as plain `number`. specta would render `f64` as
/// `number | null` (NaN serialises as null) and refuses `i64` (BigInt);
/// every value here (bytes, seconds) is far below 2^53, where a JS number is
/// exact. Used as `#[specta(type = crate::JsNumber)]`.
pub type JsNumber = u32;
pub use error::Error;
