fn main() -> std::process::ExitCode {
    bdc::cli::main()
}
