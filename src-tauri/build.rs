#[allow(
    clippy::expect_used,
    reason = "a build script reports failure by panicking: cargo shows the message"
)]
fn main() {
    // build.rs runs from the repository root (the app package lives there),
    // so the capabilities folder is named from it.
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    )
    .expect("tauri-build failed");
}
