//! Storage (S1-S3, E3): volumes, how storage attaches to containers, and disk
//! usage as `docker system df` counts it.

pub mod disk;
pub mod volumes;
