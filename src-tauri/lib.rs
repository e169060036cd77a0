//! The Tauri shell of Berth: commands, events and start-up. Engine logic
//! lives in `berth_core`; this crate only wires it to the window.

mod commands;
mod copies;
mod dialogs;
mod error;
#[cfg(target_os = "linux")]
mod malloc;
mod settings;
mod state;
mod streams;
mod terminals;

#[cfg(target_os = "linux")]
pub use malloc::tune as tune_malloc;

use berth_core::engine::endpoint::Environment;
use berth_core::engine::events::EngineEvent;
use berth_core::engine::watch::{self, Update};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::Manager;
use tauri_specta::{collect_commands, collect_events, Event};

use state::EngineState;

/// The connection changed (connecting, connected, down): ask `engineStatus`.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct EngineStatusChanged {
    pub state: String,
}

/// Something changed in the engine (a container started, an image was
/// deleted...): stores refresh what they show, debounced.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct EngineChanged {
    pub kind: String,
    pub action: String,
    pub id: String,
    pub name: Option<String>,
    #[specta(type = berth_core::JsNumber)]
    pub time: i64,
    pub exit_code: Option<i32>,
}

impl From<EngineEvent> for EngineChanged {
    fn from(e: EngineEvent) -> Self {
        EngineChanged {
            kind: e.kind,
            action: e.action,
            id: e.id,
            name: e.name,
            time: e.time,
            exit_code: e.exit_code,
        }
    }
}

/// The specta builder: the commands and events the front end may use.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::engine::engine_status,
            commands::engine::engine_retry,
            commands::engine::engine_info,
            commands::storage::disk_usage,
            commands::containers::list_containers,
            commands::images::list_images,
            commands::containers::container_lifecycle,
            commands::containers::container_rename,
            commands::containers::container_remove,
            commands::containers::container_details,
            commands::containers::container_stats,
            commands::containers::container_logs,
            commands::app::stream_cancel,
            commands::app::stream_drawn,
            commands::containers::terminal_shells,
            commands::containers::terminal_open,
            commands::containers::terminal_attach,
            commands::containers::container_logs_save,
            commands::images::reference_parse,
            commands::containers::run_choices,
            commands::images::image_pull,
            commands::images::image_details,
            commands::images::image_tag,
            commands::images::image_remove,
            commands::images::image_prune_preview,
            commands::images::image_prune,
            commands::registry::inspect_reference,
            commands::files::files_list,
            commands::files::files_preview,
            commands::files::files_changes,
            commands::files::files_existing,
            commands::files::files_copy_in,
            commands::files::files_copy_out,
            commands::files::pick_sources,
            commands::storage::volumes_list,
            commands::storage::volume_create,
            commands::storage::volume_remove,
            commands::storage::volume_prune_preview,
            commands::storage::volume_prune,
            commands::storage::storage_overview,
            commands::networks::networks_list,
            commands::networks::network_create,
            commands::networks::network_remove,
            commands::networks::network_connect,
            commands::networks::network_disconnect,
            commands::containers::container_commit,
            commands::images::image_push,
            commands::build::build_plan,
            commands::build::image_build,
            commands::build::pick_dockerfile,
            commands::registry::registry_logins,
            commands::registry::registry_login,
            commands::registry::registry_logout,
            commands::app::session_save,
            commands::engine::contexts_list,
            commands::engine::context_use,
            commands::containers::port_open,
            commands::containers::run_check,
            commands::containers::run_container,
            commands::app::pick_folder,
            commands::containers::env_file_import,
            commands::containers::terminal_input,
            commands::containers::terminal_resize,
            commands::containers::terminal_close,
            commands::engine::context_create,
            commands::engine::context_remove,
            commands::engine::engine_test,
            commands::engine::ssh_trust,
            commands::engine::context_save_line,
            commands::engine::context_update,
            commands::engine::pick_tls_file,
            commands::engine::ssh_unlock,
            commands::compose::compose_tool,
            commands::compose::compose_plan,
            commands::compose::compose_config_check,
            commands::compose::compose_save,
            commands::compose::pick_compose_file,
            commands::compose::compose_up,
            commands::compose::project_action,
            commands::compose::project_down_plan,
            commands::compose::project_down,
            commands::compose::project_logs,
            commands::swarm::swarm_status,
            commands::swarm::swarm_init,
            commands::swarm::swarm_join,
            commands::swarm::swarm_leave,
            commands::swarm::swarm_tokens,
            commands::swarm::swarm_nodes,
            commands::swarm::node_update,
            commands::swarm::node_remove,
            commands::swarm::services_list,
            commands::swarm::service_tasks,
            commands::swarm::service_scale,
            commands::swarm::service_update,
            commands::swarm::service_rollback,
            commands::swarm::service_remove,
            commands::swarm::service_create,
            commands::swarm::service_create_line,
            commands::swarm::service_logs,
            commands::swarm::objects_list,
            commands::swarm::object_create,
            commands::swarm::object_remove,
            commands::swarm::stack_deploy,
            commands::swarm::stack_remove,
            commands::app::pick_file,
            commands::labs::labs_list,
            commands::labs::lab_open,
            commands::labs::lab_check,
            commands::labs::lab_reset_plan,
            commands::labs::lab_reset,
            commands::app::settings_get,
            commands::app::app_about,
            commands::app::settings_set,
        ])
        .events(collect_events![EngineStatusChanged, EngineChanged])
}

/// Where the generated TypeScript bindings live.
pub fn bindings_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/backend/bindings.ts")
}

pub fn export_bindings(builder: &tauri_specta::Builder<tauri::Wry>) -> Result<(), String> {
    builder
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated by tauri-specta from the Rust commands: do not edit.\n// @ts-nocheck\n"),
            bindings_path(),
        )
        .map_err(|e| format!("the TypeScript bindings were not written: {e}"))?;
    let said = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/i18n/said.en.ts");
    std::fs::write(&said, berth_core::said::english_ts())
        .map_err(|e| format!("{} was not written: {e}", said.display()))
}

fn status_word(s: &watch::Status) -> &'static str {
    match s {
        watch::Status::Connecting => "connecting",
        watch::Status::Connected { .. } => "connected",
        watch::Status::Down { .. } => "down",
    }
}

/// Follows the engine for the app's lifetime, keeping `EngineState` current
/// and telling the window.
fn spawn_watch(app: tauri::AppHandle) {
    let retry = app.state::<EngineState>().retry.clone();
    tauri::async_runtime::spawn(async move {
        watch::run(Environment::from_process, retry, move |update| {
            let state = app.state::<EngineState>();
            let status = match update {
                Update::Event(ev) => {
                    if ev.kind == "container" {
                        state.first_list.clear();
                    }
                    let _ = EngineChanged::from(ev).emit(&app);
                    return;
                }
                Update::Connected(engine) => {
                    state
                        .first_list
                        .start(engine.clone(), settings::show_all(&app));
                    let status = watch::Status::Connected {
                        endpoint: engine.endpoint(),
                        source: engine.source().clone(),
                        api_version: engine.api_version(),
                    };
                    *state.engine.write().unwrap_or_else(|p| p.into_inner()) = Some(engine);
                    status
                }
                Update::Down(status) => {
                    state.first_list.clear();
                    *state.engine.write().unwrap_or_else(|p| p.into_inner()) = None;
                    status
                }
            };
            let word = status_word(&status);
            let changed = {
                let mut current = state.status.write().unwrap_or_else(|p| p.into_inner());
                let changed = *current != status;
                *current = status;
                changed
            };
            if changed {
                let _ = EngineStatusChanged { state: word.into() }.emit(&app);
            }
        })
        .await;
    });
}

/// WebKitGTK's accelerated compositing costs about 100 MB per window
/// (scripts/bench.sh, 1,000 containers listed: 337 MB -> 231 MB PSS) and is
/// the usual cause of blank Tauri windows on some GPU drivers; lists and
/// forms do not need it. Its page and resource caches are sized for a
/// browser; a document viewer's suffice. `BERTH_GPU=1` keeps compositing.
#[cfg(target_os = "linux")]
fn tune_webview(app: &tauri::App) {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
    };
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let gpu = std::env::var_os("BERTH_GPU").is_some();
    let _ = window.with_webview(move |wv| {
        let view = wv.inner();
        if let Some(ctx) = view.context() {
            ctx.set_cache_model(CacheModel::DocumentViewer);
        }
        if !gpu {
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        }
    });
}

/// WebKitGTK's DMA-BUF renderer brings a GBM/EGL surface into the app's
/// own process and a second copy of each frame: 12-15 MB PSS with 1,000
/// containers listed (scripts/bench.sh), for nothing a list needs. Set before
/// any thread or WebKit process starts; the user's own setting, or
/// `BERTH_GPU=1`, wins.
#[cfg(target_os = "linux")]
fn tune_webkit_env() {
    if std::env::var_os("BERTH_GPU").is_none()
        && std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none()
    {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// How far below the window Berth's own worker threads run (a nice value;
/// `BERTH_WORKER_NICE` sets another, 0 turns it off). The window's threads
/// (GTK's and WebKit's) keep the normal priority. Measured with 1,000,000 log
/// lines streaming in (scripts/bench.sh's log window, 2 cores): the engine
/// and Berth's workers took the CPU from WebKit's main thread, which stood
/// runnable for up to 150 ms; with the workers at nice 10 the long frames
/// were a quarter as many. Only a busy machine is changed: an idle core
/// still runs a worker at full speed.
#[cfg(target_os = "linux")]
const WORKER_NICE: i32 = 10;

/// `BERTH_WORKER_NICE` read: a number from 0 to 19 (outside, the nearest);
/// unset or not a number, `WORKER_NICE`.
#[cfg(target_os = "linux")]
fn worker_nice(set: Option<&str>) -> i32 {
    set.and_then(|v| v.trim().parse::<i32>().ok())
        .unwrap_or(WORKER_NICE)
        .clamp(0, 19)
}

/// The async runtime Tauri and the core run on, its threads (workers and
/// blocking pool) below the window's priority on Linux. Built before any
/// Tauri call, which would start a default runtime.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    b.enable_all().thread_name("berth-worker");
    #[cfg(target_os = "linux")]
    {
        let nice = worker_nice(std::env::var("BERTH_WORKER_NICE").ok().as_deref());
        if nice > 0 {
            b.on_thread_start(move || {
                // Refused only by a sandbox; the thread then runs as it was.
                let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), nice);
            });
        }
    }
    b.build()
}

/// Berth's name and version as `berth --version` prints them.
pub fn version_line() -> String {
    format!("Berth {}", env!("CARGO_PKG_VERSION"))
}

/// What `berth ARGS` answers without opening a window: `--version` (`-V`)
/// and `--help` (`-h`) as the first argument, with exit code 0. Anything
/// else is left to the app (WebDriver and desktop launchers pass their own
/// arguments), so None means: open the window.
pub fn command_line(mut args: impl Iterator<Item = std::ffi::OsString>) -> Option<(String, i32)> {
    let first = args.next()?;
    match first.to_str()? {
        "--version" | "-V" => Some((version_line(), 0)),
        "--help" | "-h" => Some((
            format!(
                "{}: point-and-click Docker, explained\n\n\
                 Usage: berth [--version | --help]\n\n\
                 With no option Berth opens its window on the engine that DOCKER_HOST,\n\
                 DOCKER_CONTEXT or the docker CLI's current context names, else on the\n\
                 platform's default socket.",
                version_line()
            ),
            0,
        )),
        _ => None,
    }
}

pub fn run() {
    #[cfg(target_os = "linux")]
    tune_webkit_env();
    // Kept for the app's lifetime, as Tauri's own default runtime is: Tauri
    // holds only a handle, and dropping a runtime waits on blocking tasks.
    let runtime: &'static tokio::runtime::Runtime = match runtime() {
        Ok(r) => Box::leak(Box::new(r)),
        Err(e) => {
            eprintln!("error while starting Berth's async runtime: {e}");
            std::process::exit(1);
        }
    };
    tauri::async_runtime::set(runtime.handle().clone());
    let builder = specta_builder();
    #[cfg(debug_assertions)]
    if let Err(e) = export_bindings(&builder) {
        eprintln!("berth: {e}");
    }

    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .manage(EngineState::new())
        .manage(streams::Streams::default())
        .manage(terminals::Terminals::default())
        .setup(move |app| {
            builder.mount_events(app);
            #[cfg(target_os = "linux")]
            tune_webview(app);
            let settings_state = settings::check_at_start(app.handle());
            app.manage(settings_state);
            spawn_watch(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            // Tauri could not open its window or event loop: there is
            // nothing to show the error in but the terminal.
            eprintln!("error while running Berth: {e}");
            std::process::exit(1);
        });
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    fn args(a: &[&str]) -> impl Iterator<Item = OsString> {
        a.iter().map(OsString::from).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn version_and_help_answer_and_anything_else_opens_the_window() {
        let v = format!("Berth {}", env!("CARGO_PKG_VERSION"));
        assert_eq!(
            super::command_line(args(&["--version"])),
            Some((v.clone(), 0))
        );
        assert_eq!(super::command_line(args(&["-V", "x"])), Some((v, 0)));
        let (help, code) = super::command_line(args(&["--help"])).unwrap();
        assert_eq!(code, 0);
        assert!(help.contains("Usage: berth") && help.contains("DOCKER_HOST"));
        assert_eq!(super::command_line(args(&[])), None);
        // WebDriver and launchers pass their own; a version flag later on
        // is theirs too.
        assert_eq!(
            super::command_line(args(&["--automation", "--version"])),
            None
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_worker_nice_setting_is_read_and_bounded() {
        use super::{worker_nice, WORKER_NICE};
        assert_eq!(worker_nice(None), WORKER_NICE);
        assert_eq!(worker_nice(Some(" 3 ")), 3);
        assert_eq!(worker_nice(Some("0")), 0);
        assert_eq!(worker_nice(Some("ten")), WORKER_NICE);
        assert_eq!(worker_nice(Some("")), WORKER_NICE);
        assert_eq!(worker_nice(Some("-5")), 0);
        assert_eq!(worker_nice(Some("40")), 19);
    }

    /// The runtime's threads really run below the window's priority: read
    /// back from the kernel (/proc), not from what was asked.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_runtimes_threads_run_at_the_worker_nice() {
        let rt = super::runtime().unwrap();
        let nice = |tid: i32| -> i64 {
            let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap();
            // Field 19 (nice), counted after the command's closing parenthesis.
            stat.rsplit(')')
                .next()
                .unwrap()
                .split_whitespace()
                .nth(16)
                .unwrap()
                .parse()
                .unwrap()
        };
        let worker = rt.block_on(async {
            tokio::spawn(async { rustix::thread::gettid().as_raw_nonzero().get() })
                .await
                .unwrap()
        });
        let blocking = rt.block_on(async {
            tokio::task::spawn_blocking(|| rustix::thread::gettid().as_raw_nonzero().get())
                .await
                .unwrap()
        });
        let here = rustix::thread::gettid().as_raw_nonzero().get();
        assert_eq!(nice(worker), i64::from(super::WORKER_NICE));
        assert_eq!(nice(blocking), i64::from(super::WORKER_NICE));
        assert_eq!(nice(here), 0, "the calling thread keeps its priority");
    }

    /// One name, one identifier and one version everywhere a user or a
    /// desktop meets them: Cargo.toml is the version's only source.
    #[test]
    fn the_bundle_identity_is_consistent() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
        assert_eq!(conf["productName"], "Berth");
        assert_eq!(conf["identifier"], "dev.berth.app");
        assert!(
            conf.get("version").is_none(),
            "the version comes from Cargo.toml"
        );
        assert_eq!(conf["mainBinaryName"], "berth");
        assert!(read("Cargo.toml").contains("[[bin]]\nname = \"berth\""));
        let npm: serde_json::Value = serde_json::from_str(&read("package.json")).unwrap();
        assert_eq!(npm["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(conf["app"]["windows"][0]["title"], "Berth");
        let bundle = &conf["bundle"]["linux"];
        let template = bundle["deb"]["desktopTemplate"].as_str().unwrap();
        assert_eq!(bundle["rpm"]["desktopTemplate"].as_str(), Some(template));
        let desktop = read(template);
        // The window's WM_CLASS is the binary's name (GTK's program name);
        // scripts/package.sh reads it off the installed app's window.
        assert!(desktop.lines().any(|l| l == "StartupWMClass=berth"));
        assert!(desktop.lines().any(|l| l == "Name={{name}}"));
        assert!(desktop.lines().any(|l| l == "Exec={{exec}}"));
        for icon in conf["bundle"]["icon"].as_array().unwrap() {
            assert!(root.join(icon.as_str().unwrap()).is_file(), "{icon}");
        }
    }

    /// Regenerates the bindings without a window; CI fails when the
    /// committed file differs from what this writes.
    #[test]
    fn typescript_bindings_are_exported() {
        super::export_bindings(&super::specta_builder()).unwrap();
        let text = std::fs::read_to_string(super::bindings_path()).unwrap();
        assert!(text.contains("listContainers"));
        assert!(text.contains("engineStatusChanged"));
    }
}
