mod cli;

fn main() {
    cacheops::tui::trace::process_started();
    std::process::exit(cli::run());
}
