//! The `bdc` binary: the command line of `cli`, over the library.

// The compiler allocates many small strings and maps; mimalloc makes that markedly cheaper
// than the system allocator (see benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    bdc::cli::main()
}
