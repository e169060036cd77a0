// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // `berth --version` and `berth --help` answer and exit, with no window.
    if let Some((text, code)) = berth_app::command_line(std::env::args_os().skip(1)) {
        if code == 0 {
            println!("{text}");
        } else {
            eprintln!("{text}");
        }
        std::process::exit(code);
    }
    #[cfg(target_os = "linux")]
    berth_app::tune_malloc();
    berth_app::run();
}
