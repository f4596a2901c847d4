//! The `coord` binary: the CLI with the default registry.

fn main() -> std::process::ExitCode {
    let code = coord::main_with(coord::default_registry());
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}
