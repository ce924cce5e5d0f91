//! The `consentlint` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    consentlint::cli::main()
}
