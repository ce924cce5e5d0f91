//! The `consentlint` binary: everything lives in the library.

/// The pipeline allocates many small nodes per file; mimalloc serves them faster than the system
/// allocator (see `docs/performance.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    consentlint::cli::main()
}
