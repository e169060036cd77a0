//! Berth's engine logic, with no Tauri in it.
//!
//! Everything the app knows about Docker lives here so that it can be tested
//! with plain `cargo test` against a real dockerd: where the engine is
//! ([`endpoint`]), connecting to it ([`engine`]), the lists the UI shows
//! ([`containers`], [`images`]), disk usage ([`disk`]), the event stream
//! ([`events`]) and the persisted settings' shape ([`settings`]).
//! The Tauri crate only wires these to commands.

pub mod archive;
pub mod build;
pub mod commit;
pub mod containers;
pub mod contexts;
pub mod credentials;
pub mod details;
pub mod disk;
mod docker_config;
pub mod dockerfile;
pub mod dockerignore;
pub mod endpoint;
pub mod engine;
pub mod error;
pub mod events;
pub mod files;
pub mod image_details;
pub mod images;
pub mod inspector;
pub mod login;
pub mod logs;
pub mod networks;
pub mod prune;
pub mod publish;
pub mod pull;
pub mod push;
mod raw;
pub mod reference;
pub mod registry;
pub mod run;
pub mod session;
pub mod settings;
pub mod stats;
pub mod terminal;
pub mod volumes;
pub mod watch;

pub use engine::Engine;

/// How 64-bit integers (sizes, timestamps) appear in the TypeScript
/// bindings: as plain `number`. specta would render `f64` as
/// `number | null` (NaN serialises as null) and refuses `i64` (BigInt);
/// every value here (bytes, seconds) is far below 2^53, where a JS number is
/// exact. Used as `#[specta(type = crate::JsNumber)]`.
pub type JsNumber = u32;
pub use error::Error;
